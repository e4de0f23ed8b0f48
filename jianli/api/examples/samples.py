"""Sample bodies the operations' examples are made of: a profile, tokens, a draft, an application and its
timeline, a case, a certificate — one consistent story (周杰's initial registration, 2026)."""

from __future__ import annotations

from typing import Any

T = "2026-03-21T09:30:00+08:00"
DAY = "2026-03-21"

PROFILE = {"nickname": "周工", "has_avatar": True, "registered": True}
ME = {"name": "周杰", "id_number_masked": "6101**********0614", "mobile_masked": "137****1111", "nickname": "周工"}
TOKENS = {
    "access_token": "at_3q2Kx9v0bZ7mNwY4rT1uPa",
    "refresh_token": "rt_Vb8sL2eQ5nH0cJ6kW9yGdF",
    "token_type": "Bearer",
    "access_expires_at": "2026-03-21T09:45:00+08:00",
    "refresh_expires_at": "2026-04-20T09:30:00+08:00",
}
FACE_STARTED = {
    "id": "fv_8Jm2QpR5tXw1",
    "provider": "wechat",
    "token": "verify_id_0c9f7e",
    "challenge": [],
    "client": {"verify_id": "verify_id_0c9f7e"},
    "expires_at": "2026-03-21T09:40:00+08:00",
    "attempts_left": 2,
}
FACE_PASSED = {
    "id": "fv_8Jm2QpR5tXw1",
    "status": "passed",
    "reason": "",
    "reason_label": "",
    "advice": "",
    "attempts_left": 2,
}
DATA = {
    "qualification_number": "JL2024110100061",
    "qualification_date": "2024-10-20",
    "exam_category": "土木建筑工程",
    "specialties": ["房屋建筑工程"],
    "employer": "91110108MA01ABCD2X",
    "school": "同济大学",
    "major": "土木工程",
    "degree": "本科",
    "graduation_date": "2008-07-01",
    "title": "工程师",
    "work_history": [{"start": "2008-07-01", "end": "", "employer": "某建设公司", "position": "监理员"}],
    "projects": [{"name": "某住宅小区", "role": "专业监理工程师", "year": "2019"}],
}
ATTACHMENT = {
    "slot": "labour_contract",
    "label": "与聘用单位签订的劳动合同",
    "name": "劳动合同.pdf",
    "content_type": "application/pdf",
    "size": 182044,
    "uploaded_at": T,
}
CONTENT = {**ATTACHMENT, "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
           "content": "JVBERi0xLjcK..."}
DRAFT = {
    "id": 1024,
    "business_type": "initial",
    "state": "draft",
    "number": None,
    "return_reason": "",
    "step": 2,
    "data": DATA,
    "errors": {},
    "attachments": [ATTACHMENT],
    "missing_attachments": {"id_card": "请上传身份证（正反面，一个文件）"},
    "applicable": ["qualification_number", "qualification_date", "exam_category", "specialties", "employer", "school",
                   "major", "degree", "graduation_date", "title", "title_certificate_number", "work_history",
                   "projects", "id_card", "qualification_certificate", "labour_contract", "title_certificate"],
    "expires_at": "2026-04-20T09:30:00+08:00",
}
TIMELINE: list[dict[str, Any]] = [
    {"key": "submit", "label": "提交申请", "node": "done", "node_label": "已完成", "day": DAY, "note": "提交申请"},
    {"key": "report", "label": "企业上报", "node": "active", "node_label": "正在进行", "day": None,
     "note": "待企业上报"},
    {"key": "review", "label": "部级审核", "node": "pending", "node_label": "未进行", "day": None, "note": ""},
    {"key": "done", "label": "办结", "node": "pending", "node_label": "未进行", "day": None, "note": ""},
]
APPLICATION = {
    "id": 1024,
    "number": "JL2026032100001024",
    "business_type": "initial",
    "business_type_label": "初始注册",
    "state": "awaiting_employer",
    "state_label": "待企业上报",
    "employer_name": "北京华建工程监理有限公司",
    "submitted_at": T,
    "deadline": "2026-04-30",
    "may_withdraw": True,
}
DETAIL = {
    **APPLICATION,
    "next_step": "您的申请已提交，正等待聘用单位（经办企业）确认并上报。如长时间未上报，请联系单位经办人。",
    "timeline": TIMELINE,
    "reason": None,
    "data": DATA,
    "attachments": [ATTACHMENT],
}
WITHDRAWN = {
    **DETAIL,
    "state": "withdrawn",
    "state_label": "已撤回",
    "may_withdraw": False,
    "next_step": "申请已撤回。",
    "timeline": [*TIMELINE[:1], {**TIMELINE[1], "node": "pending", "node_label": "未进行", "note": ""}, TIMELINE[2],
                 {**TIMELINE[3], "node": "done", "node_label": "已完成", "day": DAY, "note": "已撤回"}],
}
CASE = {
    "id": 1024,
    "number": "JL2026032100001024",
    "business_type": "initial",
    "business_type_label": "初始注册",
    "state": "awaiting_review",
    "state_label": "待审查",
    "applicant_name": "周杰",
    "applicant_id_number_masked": "6101**********0614",
    "employer_name": "北京华建工程监理有限公司",
    "submitted_at": T,
    "reported_at": "2026-03-22T10:05:00+08:00",
    "deadline": "2026-04-30",
    "claimed_by_me": False,
}
CASE_DETAIL = {
    **CASE,
    "pending_rejection": None,
    "pending_approval": None,
    "data": DATA,
    "attachments": [ATTACHMENT],
    "correction_items": [],
    "timeline": [TIMELINE[0], {**TIMELINE[1], "node": "done", "node_label": "已完成", "day": "2026-03-22",
                                "note": ""}, {**TIMELINE[2], "node": "active", "node_label": "正在进行",
                                              "note": "待审查"}, TIMELINE[3]],
}
RECORD = {
    "name": "周杰",
    "registration_number": "11006061",
    "specialties": ["房屋建筑工程"],
    "employer": "北京华建工程监理有限公司",
    "valid_from": "2026-04-02",
    "valid_until": "2029-04-01",
    "status": "有效",
}
CERTIFICATE = {
    "number": "JLZ20260000001024",
    "issued_on": "2026-04-02",
    "status": "valid",
    "status_label": "有效",
    "verify_url": "https://jianli.example.gov.cn/verify/3f9kQ2mZx7",
    "registration": RECORD,
}
FACE_FIELDS = {"fields": {"verify_result": "XbC3k9...（wx.startFacialRecognitionVerify 返回的 verifyResult）"}}
