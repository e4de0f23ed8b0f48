"""Examples in /api/openapi.json: one per operation's JSON bodies (request and answers), one per parameter, and
a description per tag. tests/api_contract/test_examples.py checks every one is there and matches its schema."""

from __future__ import annotations

import copy
from typing import Any

TAGS = [
    {
        "name": "申请人：进入",
        "description": "首次使用（头像和昵称）、微信登录、验证是否为已注册用户、用户注册、人脸识别，"
        "以及访问令牌的刷新和注销。人脸识别通过后才得到访问令牌。",
    },
    {
        "name": "申请人：办件",
        "description": "申报须知、申报信息（五种业务类型的表单、草稿、材料上传）、申报告知与提交（Idempotency-Key），"
        "进度查询、撤回业务和补正。",
    },
    {
        "name": "申请人：好差评",
        "description": "办结（准予、不予、终止）或撤回后，申请人对办件作出好差评（五级），评价期内可以修改；差评须写明理由。",
    },
    {"name": "更多", "description": "“更多”中的信息修改（手机号码、证件照）、操作手册、常见问题和联系电话。"},
    {
        "name": "电子证书与公示查询",
        "description": "我的证照（电子证书及其 PDF）、证书二维码核验，以及公开的注册人员公示查询。",
    },
    {
        "name": "对接：企业上报与部级审核",
        "description": "聘用单位的 OA 系统上报或退回申请，住房和城乡建设部的审查系统领取、要求补正、"
        "准予或不予注册。使用接口密钥（X-API-Key），按权限范围授权。",
    },
]

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
TIMELINE = [
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

# operationId → {"request": JSON body, "response": the success answer}.
OPERATIONS: dict[str, dict[str, Any]] = {
    "profile_create": {"request": {"nickname": "周工"},
                       "response": {"profile": {**PROFILE, "registered": False},
                                    "profile_token": "pt_Qw8eR5tY2uI9oP3a"}},
    "profile_read": {"response": PROFILE},
    "profile_update": {"request": {"nickname": "周监理"}, "response": {**PROFILE, "nickname": "周监理"}},
    "profile_avatar_upload": {"response": PROFILE},
    "applicant_check": {
        "request": {"name": "周杰", "id_number": "610102198808080614"},
        "response": {"found": True, "message": "已查询到该用户，请进行人脸识别。",
                     "pending_token": "pd_Zx4cV7bN1mK8", "pending_expires_at": "2026-03-21T09:45:00+08:00"},
    },
    "sms_code_send": {"request": {"mobile": "13700001111"},
                      "response": {"sent": True, "expires_in": 300, "demo_code": None}},
    "applicant_register": {
        "request": {"name": "周杰", "id_number": "610102198808080614", "mobile": "13700001111",
                    "sms_code": "428061", "id_photo": "/9j/4AAQSkZJRgABAQ..."},
        "response": {"pending_token": "pd_Zx4cV7bN1mK8", "pending_expires_at": "2026-03-21T09:45:00+08:00"},
    },
    "face_start": {"request": {"consent": True}, "response": FACE_STARTED},
    "face_finish": {"request": FACE_FIELDS, "response": {**FACE_PASSED, "tokens": TOKENS}},
    "token_refresh": {"request": {"refresh_token": "rt_Vb8sL2eQ5nH0cJ6kW9yGdF"},
                      "response": {**TOKENS, "refresh_token": "rt_Nq3wE6rT9yU2iO5p"}},
    "me": {"response": ME},
    "catalogue": {"response": {
        "item_name": "监理工程师执业资格认定",
        "item_code": "11100000000013338W1000117040000",
        "authority": "住房和城乡建设部",
        "legal_basis": ["《注册监理工程师管理规定》"],
        "refusal_conditions": ["(一) 不具有完全民事行为能力的;"],
        "entries": [{
            "business_type": "initial", "label": "初始注册", "title": "监理工程师执业资格认定(初始注册)",
            "summary": "取得监理工程师职业资格证书后，首次申请注册。",
            "conditions": ["取得监理工程师职业资格证书", "受聘于一个建设工程勘察、设计、施工、监理、招标代理、造价咨询等单位"],
            "materials": ["身份证（正反面，一个文件）", "职业资格证书", "与聘用单位签订的劳动合同"],
            "time_limit_days": 20,
        }],
    }},
    "wechat_session": {"request": {"code": "0a3Xkm000bc9Ar1pRn000Wq2Xg3Xkm0P"},
                       "response": {"platform": "wechat", "bound": True, "has_unionid": False}},
    "subscription_record": {"request": {"answers": {"tmpl_progress_8Yk2": "accept"}},
                            "response": [{"template_id": "tmpl_progress_8Yk2", "answer": "accept", "remaining": 1}]},
    "form": {"response": {
        "business_type": "initial",
        "fields": [
            {"name": "qualification_number", "label": "资格证书编号", "kind": "text", "required": True, "options": [],
             "max_choices": 0, "hint": "", "section": "资格信息", "columns": []},
            {"name": "specialties", "label": "注册专业", "kind": "multi", "required": True,
             "options": [["房屋建筑工程", "房屋建筑工程"], ["市政公用工程", "市政公用工程"]], "max_choices": 2,
             "hint": "最多选择两个", "section": "注册专业", "columns": []},
        ],
        "slots": [{"name": "labour_contract", "label": "与聘用单位签订的劳动合同", "required": True, "hint": ""}],
    }},
    "draft_create": {"response": {**DRAFT, "step": 1, "data": {}, "attachments": [],
                                  "errors": {"qualification_number": "此项为必填项"}}},
    "draft_read": {"response": DRAFT},
    "draft_update": {"request": {"step": 2, "data": DATA}, "response": DRAFT},
    "draft_attachment_upload": {"response": ATTACHMENT},
    "draft_attachment_read": {"response": CONTENT},
    "application_attachment_read": {"response": CONTENT},
    "draft_submit": {"response": APPLICATION},
    "application_list": {"response": [APPLICATION]},
    "application_read": {"response": DETAIL},
    "application_withdraw": {"request": {"expected_state": "awaiting_employer"}, "response": WITHDRAWN},
    "correction_attachment_upload": {"response": ATTACHMENT},
    "correction_submit": {
        "request": {"data": {"projects": [{"name": "某住宅小区二期", "role": "总监理工程师代表", "year": "2021"}]}},
        "response": {**DETAIL, "state": "awaiting_review", "state_label": "待审查", "may_withdraw": True},
    },
    "progress_query": {"request": {"name": "周杰", "id_number": "610102198808080614", "business_type": "initial"},
                       "response": {"applications": [DETAIL]}},
    "mobile_change": {"request": {"mobile": "13900002222", "sms_code": "731905"},
                      "response": {**ME, "mobile_masked": "139****2222"}},
    "photo_change": {"request": {"id_photo": "/9j/4AAQSkZJRgABAQ...", "provider": "tencent"},
                     "response": {**FACE_STARTED, "provider": "tencent", "token": "BizToken-2B1C0D",
                                  "client": {"biz_token": "BizToken-2B1C0D"}}},
    "photo_change_finish": {"request": {"fields": {}}, "response": {**FACE_PASSED, "changed": True, "me": ME}},
    "manual": {"response": [{"anchor": "check", "title": "验证是否为已注册用户",
                             "steps": ["输入姓名和身份证号码", "点击“确定”"]}]},
    "faq": {"response": [{"question": "聘用单位长时间未上报怎么办？", "answer": "请联系单位经办人，或撤回后重新选择聘用单位。"}]},
    "contacts": {"response": [{"name": "技术支持", "number": "010-58933000", "hours": "工作日 9:00–17:00"}]},
    "my_certificates": {"response": [CERTIFICATE]},
    "my_certificate_pdf": {"response": {"number": "JLZ20260000001024", "filename": "JLZ20260000001024.pdf",
                                        "content_type": "application/pdf", "content": "JVBERi0xLjcK..."}},
    "verify": {"response": {"status": "valid", "status_label": "有效", "explanation": "证书有效，注册信息如下。",
                            "certificate_number": "JLZ20260000001024", "issued_on": "2026-04-02",
                            "registration": RECORD}},
    "register": {"response": {"records": [RECORD], "page": 1, "pages": 1, "total": 1}},
    "employer_list": {"response": {"count": 1, "items": [{**CASE, "state": "awaiting_employer",
                                                          "state_label": "待企业上报", "reported_at": None}],
                                   "next_cursor": None}},
    "employer_read": {"response": {**CASE_DETAIL, "state": "awaiting_employer", "state_label": "待企业上报",
                                   "reported_at": None, "timeline": TIMELINE}},
    "employer_report": {"response": CASE_DETAIL},
    "employer_return": {"request": {"reason": "聘用单位信息有误，请核对后重新提交。"},
                        "response": {**CASE_DETAIL, "state": "returned", "state_label": "企业已退回",
                                     "reported_at": None}},
    "employer_attachment": {"response": CONTENT},
    "review_list": {"response": {"count": 1, "items": [CASE], "next_cursor": "eyJpZCI6MTAyNH0"}},
    "review_read": {"response": CASE_DETAIL},
    "review_attachment": {"response": CONTENT},
    "review_claim": {"response": {**CASE_DETAIL, "state": "in_review", "state_label": "审查中",
                                  "claimed_by_me": True}},
    "review_release": {"response": CASE_DETAIL},
    "review_request_correction": {
        "request": {"problems": [{"kind": "attachment", "name": "labour_contract",
                                  "message": "劳动合同缺少签字页"}], "comment": "请补正后重新提交。"},
        "response": {**CASE_DETAIL, "state": "in_correction", "state_label": "补正中",
                     "correction_items": [{"kind": "attachment", "name": "labour_contract",
                                           "label": "与聘用单位签订的劳动合同", "message": "劳动合同缺少签字页"}]},
    },
    "review_decide": {"request": {"decision": "approve", "comment": "符合注册条件"},
                      "response": {**CASE_DETAIL, "state": "approved", "state_label": "准予注册"}},
    "review_rejection_decline": {
        "request": {"note": "不予注册的理由不充分，请补充核查。"},
        "response": {**CASE_DETAIL, "state": "in_review", "state_label": "审查中"},
    },
    "review_approval_decline": {
        "request": {"note": "资格库记录的修改无依据，请向考试机构核实。"},
        "response": {**CASE_DETAIL, "state": "in_review", "state_label": "审查中"},
    },
}

RATING_STATE = {
    "rateable": True,
    "may_change": True,
    "rating": {"level": 5, "label": "非常满意", "comment": "办理很快，进度清楚。", "created_at": "2026-04-03T10:00:00+08:00",
               "updated_at": "2026-04-03T10:00:00+08:00", "changeable_until": "2026-04-08T10:00:00+08:00"},
    "levels": [{"level": 5, "label": "非常满意"}, {"level": 4, "label": "满意"}, {"level": 3, "label": "基本满意"},
               {"level": 2, "label": "不满意"}, {"level": 1, "label": "非常不满意"}],
}
OPERATIONS["rating_read"] = {"response": {**RATING_STATE, "rating": None}}
OPERATIONS["rating_put"] = {"request": {"level": 5, "comment": "办理很快，进度清楚。"}, "response": RATING_STATE}

# Path, query and header parameters by name.
PARAMETERS: dict[str, Any] = {
    "business_type": "initial",
    "application_id": 1024,
    "verification_id": "fv_8Jm2QpR5tXw1",
    "slot": "labour_contract",
    "number": "JLZ20260000001024",
    "token": "3f9kQ2mZx7",
    "Idempotency-Key": "3b1f0c5e9a7d4e2f8c6b0a1d2e3f4a5b",
    "state": "awaiting_review",
    "cursor": "",
    "limit": 50,
    "name": "周杰",
    "employer": "北京华建工程监理有限公司",
    "page": 1,
}

ERROR_FIELDS = {422: {"id_number": "身份证号码应为18位，最后一位可以是数字或X"}}


def annotate(schema: dict[str, Any], messages: dict[int, str], codes: dict[int, str]) -> dict[str, Any]:
    """Put the examples above into a generated OpenAPI document (in place) and return it."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            known = OPERATIONS.get(operation.get("operationId"), {})
            for parameter in operation.get("parameters", []):
                if parameter["name"] in PARAMETERS:
                    parameter["example"] = PARAMETERS[parameter["name"]]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None and "request" in known:
                body["example"] = copy.deepcopy(known["request"])
            for status, answer in operation.get("responses", {}).items():
                media = answer.get("content", {}).get("application/json")
                if media is None:
                    continue
                code = int(status)
                if code < 300 and "response" in known:
                    media["example"] = copy.deepcopy(known["response"])
                elif code >= 400:
                    media["example"] = {"code": codes.get(code, "error"), "message": messages.get(code, ""),
                                        "fields": ERROR_FIELDS.get(code, {})}
    return schema
