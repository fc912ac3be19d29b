"""Vietnamese names for what the log records and what the step forms ask (the domain names the rules)."""

from __future__ import annotations

from enum import Enum
from typing import Final

EVENT_LABELS_VI: Final[dict[str, str]] = {
    "PersonalDataErased": "Xóa dữ liệu cá nhân",
    "LogMigrated": "Chuyển sổ cũ sang sổ mã hóa dữ liệu cá nhân",
    "CandidateNominated": "Đưa vào nguồn phát triển đảng viên",
    "AwarenessTrainingCertified": "Có giấy chứng nhận lớp nhận thức về Đảng",
    "ApplicationSubmitted": "Nộp đơn xin vào Đảng",
    "BackgroundFormSubmitted": "Nộp lý lịch người xin vào Đảng",
    "VerificationOpened": "Mở thẩm tra lý lịch",
    "VerificationResultRecorded": "Ghi kết quả thẩm tra",
    "VerificationCertified": "Kết luận thẩm tra lý lịch",
    "SponsorsRecorded": "Ghi người giới thiệu",
    "CellApproved": "Chi bộ xét, đề nghị kết nạp",
    "SubCommitteeAppraised": "Ban tổ chức thẩm định",
    "CommitteeApproved": "Đảng ủy cơ sở đề nghị kết nạp",
    "DecisionDeadlineExtended": "Gia hạn thời hạn quyết định",
    "AdmissionDecided": "Quyết định kết nạp",
    "AdmissionDecisionReceived": "Chi bộ nhận quyết định kết nạp",
    "CandidateRejected": "Không đề nghị / không kết nạp",
    "DossierReturned": "Trả hồ sơ",
    "CandidateWithdrawn": "Rút khỏi nguồn",
    "CandidateTransferred": "Chuyển nơi bồi dưỡng",
    "MovedByReorganisation": "Chuyển theo quyết định sắp xếp tổ chức đảng",
    "UserCreated": "Tạo tài khoản người dùng",
    "UserDeactivated": "Khóa tài khoản người dùng",
    "RoleAssigned": "Giao vai trò cho người dùng",
    "AssignmentEnded": "Kết thúc vai trò của người dùng",
    "FileHandedOver": "Chuyển hồ sơ theo đề nghị của đơn vị khác",
    "FileRequestRefused": "Từ chối đề nghị chuyển hồ sơ",
    "FileRequested": "Đề nghị chuyển hồ sơ từ đơn vị khác",
    "LateCeremonyConsented": "Đồng ý tổ chức lễ kết nạp muộn",
    "AdmissionCeremonyHeld": "Tổ chức lễ kết nạp",
    "DeadlineBreached": "Quá thời hạn",
    "ParticularsUpdated": "Cập nhật lý lịch",
    "MemberEnrolled": "Nhập đảng viên vào sổ",
    "NewMemberCourseCompleted": "Hoàn thành lớp đảng viên mới",
    "RecognitionVoteHeld": "Chi bộ xét chuyển chính thức",
    "RecognitionEscalated": "Đề nghị cấp trên xét chuyển chính thức",
    "OfficialRecognised": "Công nhận đảng viên chính thức",
    "ProbationaryMemberStruckOff": "Xóa tên đảng viên dự bị",
    "MemberTransferIntroduced": "Giới thiệu chuyển sinh hoạt",
    "MemberTransferPresented": "Nhận sinh hoạt đảng",
    "TemporaryTransferEnded": "Kết thúc sinh hoạt tạm thời",
    "ViolationReported": "Ghi nhận vi phạm",
    "ViolationDismissed": "Kết thúc xem xét vi phạm",
    "MemberDisciplined": "Thi hành kỷ luật",
    "ExpulsionAppealed": "Khiếu nại quyết định khai trừ",
    "ExpulsionAppealResolved": "Giải quyết khiếu nại",
    "StrikeOffProposed": "Chi bộ đề nghị xóa tên",
    "MemberStruckOff": "Quyết định xóa tên",
    "VoluntaryExitGranted": "Cho ra khỏi Đảng",
    "MemberRated": "Xếp loại chất lượng",
    "ScreeningOutcomeRecorded": "Kết quả rà soát, sàng lọc",
    "AdmissionAnnulled": "Hủy quyết định kết nạp",
    "EntryRetracted": "Thu hồi mục ghi nhầm",
    "UnitRegistered": "Thành lập tổ chức đảng",
    "UnitRenamed": "Đổi tên tổ chức đảng",
    "AdmissionDelegationChanged": "Thay đổi ủy quyền kết nạp",
    "UnitReclassified": "Thay đổi loại hình tổ chức",
    "UnitMoved": "Chuyển trực thuộc",
    "UnitMerged": "Hợp nhất",
    "UnitSplit": "Chia tách",
    "UnitDissolved": "Giải thể",
    "TermTargetSet": "Giao chỉ tiêu nhiệm kỳ",
    "YearlyPlanSet": "Giao kế hoạch năm",
    "DayOffDeclared": "Công bố ngày nghỉ",
    "WorkingDayDeclared": "Công bố ngày làm việc bù",
    "DayDeclarationWithdrawn": "Hủy công bố ngày nghỉ / làm bù",
}

FIELD_LABELS_VI: Final[dict[str, str]] = {
    "occurred_on": "Ngày trên văn bản",
    "admitted_on": "Ngày kết nạp",
    "appeal_ref": "Số đơn khiếu nại",
    "application_ref": "Số đơn xin vào Đảng",
    "appraisal_ref": "Số văn bản thẩm định",
    "cause_on": "Ngày phát sinh",
    "cell_id": "Chi bộ",
    "ceremony_on": "Ngày lễ kết nạp",
    "ceremony_ref": "Biên bản lễ kết nạp",
    "certificate_ref": "Số giấy chứng nhận",
    "citizen_id": "Số định danh cá nhân",
    "committee_size": "Số ủy viên cấp ủy",
    "consent_ref": "Số văn bản đồng ý",
    "decision_ref": "Số quyết định",
    "exempt_absent_ids": "Đảng viên vắng mặt có lý do (được miễn)",
    "expulsion_delegated": "Được ủy quyền khai trừ",
    "extra_working_days": "Số ngày làm việc gia hạn",
    "family_hardship": "Hoàn cảnh gia đình khó khăn",
    "form_ref": "Số lý lịch",
    "full_name": "Họ và tên",
    "grade": "Xếp loại",
    "ground": "Lý do xóa tên",
    "helper_id": "Đảng viên giúp đỡ",
    "issued_on": "Ngày cấp",
    "kind": "Hình thức",
    "level": "Cấp",
    "mentor_id": "Đảng viên giúp đỡ",
    "no": "Số phiếu không tán thành",
    "official_from": "Chính thức từ ngày",
    "outcome": "Kết quả",
    "penalty": "Hình thức kỷ luật",
    "reason": "Lý do",
    "relation": "Quan hệ",
    "resolution_ref": "Số nghị quyết",
    "result_ref": "Số văn bản kết quả",
    "roll_ref": "Số sổ đảng viên",
    "score": "Điểm",
    "to_cell_id": "Chuyển đến chi bộ",
    "to_unit_id": "Chuyển đến tổ chức đảng",
    "upheld": "Giữ nguyên quyết định",
    "votes_in_favour": "Số phiếu tán thành",
    "year": "Năm",
    "yes": "Số phiếu tán thành",
    "evidence_months": "Số tháng có căn cứ",
    "sex": "Giới tính",
    "date_of_birth": "Ngày sinh",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "education": "Trình độ học vấn",
    "occupation": "Nghề nghiệp",
    "hometown": "Quê quán",
    "provincial_consent_ref": "Số văn bản đồng ý của Tỉnh ủy",
    "provincial_consent_on": "Ngày Tỉnh ủy đồng ý",
    "conviction_cleared_on": "Ngày được xóa án tích",
    "subjects": "Người cần thẩm tra lý lịch",
    "sponsors": "Người giới thiệu",
    "education_exemption": "Miễn tiêu chuẩn học vấn theo vùng",
    "readmit_bar": "Lý do không được kết nạp lại",
    "entry_version": "Mục được thu hồi",
    "subject": "Người được thẩm tra",
    "exempt_reason": "Lý do miễn thẩm tra",
    "birth_year": "Năm sinh",
    "sponsor_id": "Người giới thiệu",
    "document_ref": "Số văn bản",
}

CHOICE_LABELS_VI: Final[dict[str, str]] = {
    "self": "Bản thân",
    "father": "Cha",
    "mother": "Mẹ",
    "guardian": "Người nuôi dưỡng",
    "father_in_law": "Cha vợ / cha chồng",
    "mother_in_law": "Mẹ vợ / mẹ chồng",
    "spouse": "Vợ / chồng",
    "adult_child": "Con đã thành niên",
    "member": "Thư giới thiệu của đảng viên",
    "youth_union": "Nghị quyết của Đoàn Thanh niên",
    "trade_union": "Nghị quyết của Công đoàn",
    "mountain": "Miền núi",
    "border": "Biên giới",
    "island": "Hải đảo",
    "minority_area": "Vùng đồng bào dân tộc thiểu số",
    "cell": "Chi bộ",
    "committee": "Đảng ủy cơ sở",
    "decider": "Cấp có thẩm quyền quyết định",
    "official": "Chính thức",
    "temporary": "Tạm thời",
    "keep": "Giữ lại",
    "educate": "Giáo dục, giúp đỡ",
    "propose_removal": "Đề nghị đưa ra khỏi Đảng",
    "abandoned_activity": "Tự ý bỏ sinh hoạt đảng",
    "voluntary_exit": "Xin ra khỏi Đảng",
    "serious_disunity": "Gây mất đoàn kết nghiêm trọng",
    "corruption_conviction": "Bị kết án về tham nhũng",
    "serious_crime_conviction": "Bị kết án tội nghiêm trọng",
}


CLOCK_LABELS_VI: Final[dict[str, str]] = {
    "R-DECIDE-DEADLINE": "Cấp có thẩm quyền ra quyết định kết nạp",
    "R-CEREMONY-DEADLINE": "Tổ chức lễ kết nạp",
    "R-RECOGNISE-DEADLINE:vote": "Chi bộ xét công nhận đảng viên chính thức",
    "R-RECOGNISE-DEADLINE:decision": "Quyết định công nhận đảng viên chính thức",
    "R-TRANSFER:present": "Nộp giấy giới thiệu sinh hoạt đảng tại nơi đến",
    "R-TRAIN-VALID": "Giấy chứng nhận lớp nhận thức về Đảng còn hiệu lực đến",
    "R-PAPERS-STALE": "Thư giới thiệu còn hiệu lực đến",
    "R-RECOGNISE-DEADLINE": "Xét công nhận đảng viên chính thức",
    "R-TRANSFER": "Chuyển sinh hoạt đảng",
}
"""What each running clock waits for, by its clock name or rule id (pages never show a bare rule code)."""


def clock_label(clock: str, rule_id: str = "") -> str:
    """A deadline in words; its rule id is shown beside it, never alone."""
    return (
        CLOCK_LABELS_VI.get(clock)
        or CLOCK_LABELS_VI.get(rule_id)
        or CLOCK_LABELS_VI.get(clock.split(":")[0], "Thời hạn")
    )


def event_label(event_type: str) -> str:
    return EVENT_LABELS_VI.get(event_type, event_type)


def field_label(name: str) -> str:
    return FIELD_LABELS_VI.get(name, name.replace("_", " "))


def choice_label(member: Enum) -> str:
    """An enum value's Vietnamese label where the domain has one."""
    label = getattr(member, "label_vi", None)
    return str(label) if label is not None else CHOICE_LABELS_VI.get(str(member.value), str(member.value))
