"""The outside services Jianli speaks to (SMS gateways, face verification, WeChat, certificate signing) and
the service's own facts and limits (rate limits, upload sizes, appeal bodies, contacts)."""

from __future__ import annotations

from jianli.settings.env import envbool, envfloat, envint, envstr

# --- The service -------------------------------------------------------------------------------------
JIANLI_ITEM_CODE = "11100000000013338W1000117040000"
JIANLI_SMS_PROVIDER = envstr("JIANLI_SMS_PROVIDER", "console")
# Tencent Cloud SMS (tencent) or Alibaba Cloud SMS (aliyun): credentials, the approved signature and template.
JIANLI_SMS_SECRET_ID = envstr("JIANLI_SMS_SECRET_ID")
JIANLI_SMS_SECRET_KEY = envstr("JIANLI_SMS_SECRET_KEY")
JIANLI_SMS_APP_ID = envstr("JIANLI_SMS_APP_ID")
JIANLI_SMS_SIGN_NAME = envstr("JIANLI_SMS_SIGN_NAME")
JIANLI_SMS_TEMPLATE_ID = envstr("JIANLI_SMS_TEMPLATE_ID")
JIANLI_SMS_REGION = envstr("JIANLI_SMS_REGION")
JIANLI_SMS_TENCENT_ENDPOINT = envstr("JIANLI_SMS_TENCENT_ENDPOINT", "https://sms.tencentcloudapi.com/")
JIANLI_SMS_ALIYUN_ENDPOINT = envstr("JIANLI_SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
JIANLI_SMS_RECEIPT_TOKEN = envstr("JIANLI_SMS_RECEIPT_TOKEN")
JIANLI_FACE_PROVIDER = envstr("JIANLI_FACE_PROVIDER", "local")
JIANLI_FACE_ALLOW_FAKE = envbool("JIANLI_FACE_ALLOW_FAKE", False)
JIANLI_FACE_THRESHOLD = envfloat("JIANLI_FACE_THRESHOLD", 0.5)
JIANLI_FACE_LIVENESS = envbool("JIANLI_FACE_LIVENESS", True)
JIANLI_FACE_ATTEMPTS_PER_HOUR = envint("JIANLI_FACE_ATTEMPTS_PER_HOUR", 5)
JIANLI_FACE_IN_PERSON_DAYS = envint("JIANLI_FACE_IN_PERSON_DAYS", 30)
JIANLI_TENCENT_SECRET_ID = envstr("JIANLI_TENCENT_SECRET_ID")
JIANLI_TENCENT_SECRET_KEY = envstr("JIANLI_TENCENT_SECRET_KEY")
JIANLI_TENCENT_RULE_ID = envstr("JIANLI_TENCENT_RULE_ID")
JIANLI_TENCENT_ENDPOINT = envstr("JIANLI_TENCENT_ENDPOINT", "https://faceid.tencentcloudapi.com/")
JIANLI_WECHAT_ACCESS_TOKEN_URL = envstr("JIANLI_WECHAT_ENDPOINT", "https://api.weixin.qq.com")
JIANLI_WECHAT_APPID = envstr("JIANLI_WECHAT_APPID")
JIANLI_WECHAT_SECRET = envstr("JIANLI_WECHAT_SECRET")
JIANLI_WECHAT_ACCESS_TOKEN = envstr("JIANLI_WECHAT_ACCESS_TOKEN")
# 订阅消息 templates chosen in the mini program's console: JIANLI_WECHAT_TEMPLATE_PROGRESS (办理进度提醒).
JIANLI_WECHAT_TEMPLATES = {
    kind: value for kind, value in {
        "progress": envstr("JIANLI_WECHAT_TEMPLATE_PROGRESS"),
        "expiry": envstr("JIANLI_WECHAT_TEMPLATE_EXPIRY"),
    }.items() if value
}
JIANLI_WECHAT_MINIPROGRAM_STATE = envstr("JIANLI_WECHAT_MINIPROGRAM_STATE", "formal")
JIANLI_PROVIDER_TIMEOUT = envfloat("JIANLI_PROVIDER_TIMEOUT", 10.0)

# Rate limits: (count, seconds).
JIANLI_RATE_CHECK_PER_ADDRESS = (envint("JIANLI_RATE_CHECK_PER_ADDRESS", 10), 60)
JIANLI_RATE_CHECK_PER_ID = (envint("JIANLI_RATE_CHECK_PER_ID", 10), 3600)
# 用户注册 (signing up as an applicant); not the public register search below.
JIANLI_RATE_SIGNUP_PER_ADDRESS = (envint("JIANLI_RATE_SIGNUP_PER_ADDRESS", 20), 3600)
JIANLI_RATE_SIGNUP_PER_ID = (envint("JIANLI_RATE_SIGNUP_PER_ID", 5), 3600)
JIANLI_RATE_SMS_PER_NUMBER = (envint("JIANLI_RATE_SMS_PER_NUMBER", 5), 3600)
JIANLI_RATE_SMS_PER_ADDRESS = (envint("JIANLI_RATE_SMS_PER_ADDRESS", 20), 3600)
JIANLI_RATE_PROGRESS_PER_ADDRESS = (envint("JIANLI_RATE_PROGRESS_PER_ADDRESS", 20), 3600)
JIANLI_RATE_API_PROFILE_PER_ADDRESS = (envint("JIANLI_RATE_API_PROFILE_PER_ADDRESS", 30), 3600)
JIANLI_RATE_API_KEY_PER_MINUTE = envint("JIANLI_RATE_API_KEY_PER_MINUTE", 600)
# Face verification, before the applicant's hourly limit (JIANLI_FACE_ATTEMPTS_PER_HOUR): a credential (a web session
# or API pending token) gets fewer checks than the applicant has (keep it below), so one cannot lock anyone out.
JIANLI_RATE_FACE_START_PER_ADDRESS = (envint("JIANLI_RATE_FACE_START_PER_ADDRESS", 30), 3600)
JIANLI_RATE_FACE_START_PER_CREDENTIAL = (envint("JIANLI_RATE_FACE_START_PER_CREDENTIAL", 10), 3600)
JIANLI_RATE_FACE_FINISH_PER_ADDRESS = (envint("JIANLI_RATE_FACE_FINISH_PER_ADDRESS", 20), 3600)
JIANLI_RATE_FACE_FINISH_PER_CREDENTIAL = (envint("JIANLI_RATE_FACE_FINISH_PER_CREDENTIAL", 4), 3600)
JIANLI_RATE_REGISTER_PER_ADDRESS = (envint("JIANLI_RATE_REGISTER_PER_ADDRESS", 30), 60)

# Electronic certificates and documents: a TrueType Chinese font, and the ministry's signing key (PEM files;
# the demo makes a test CA under var/ instead).
CERTIFICATE_FONT = envstr("JIANLI_CERTIFICATE_FONT")
CERTIFICATE_SIGNING_KEY = envstr("JIANLI_CERTIFICATE_SIGNING_KEY")
CERTIFICATE_SIGNING_CERT = envstr("JIANLI_CERTIFICATE_SIGNING_CERT")
CERTIFICATE_SIGNING_CHAIN = envstr("JIANLI_CERTIFICATE_SIGNING_CHAIN")
CERTIFICATE_SIGNING_PASSPHRASE = envstr("JIANLI_CERTIFICATE_SIGNING_PASSPHRASE")

# API token lifetimes in seconds by kind; 0 keeps the default in jianli/api/credentials.py.
JIANLI_API_TOKEN_TTL = {
    kind: envint(f"JIANLI_API_TOKEN_TTL_{kind.upper()}", 0) for kind in ("profile", "pending", "access", "refresh")
}
# Face providers the API offers besides JIANLI_FACE_PROVIDER (e.g. "wechat" for the mini program).
JIANLI_FACE_API_PROVIDERS = [p for p in envstr("JIANLI_FACE_API_PROVIDERS").split(",") if p]

JIANLI_UPLOAD_MAX_PDF = envint("JIANLI_UPLOAD_MAX_PDF", 2 * 1024 * 1024)
JIANLI_UPLOAD_MAX_IMAGE = envint("JIANLI_UPLOAD_MAX_IMAGE", 500 * 1024)
JIANLI_DRAFT_DAYS = envint("JIANLI_DRAFT_DAYS", 30)
JIANLI_CONTINUING_EDUCATION_HOURS = envint("JIANLI_CONTINUING_EDUCATION_HOURS", 96)
JIANLI_RENEWAL_OPENS_DAYS = envint("JIANLI_RENEWAL_OPENS_DAYS", 90)
# 不予注册决定书: how to seek redress (行政复议法第二十条: 60 days; 行政诉讼法第四十六条: 6 months; a State Council
# department reviews its own decisions, 行政复议法第二十五条). Settings, so that an operator can correct them.
JIANLI_APPEAL_REVIEW_BODY = envstr("JIANLI_APPEAL_REVIEW_BODY", "中华人民共和国住房和城乡建设部")
JIANLI_APPEAL_REVIEW_DAYS = envint("JIANLI_APPEAL_REVIEW_DAYS", 60)
JIANLI_APPEAL_COURT = envstr("JIANLI_APPEAL_COURT", "有管辖权的人民法院")
JIANLI_APPEAL_LITIGATION_MONTHS = envint("JIANLI_APPEAL_LITIGATION_MONTHS", 6)
# 好差评: a rating may be changed for this many days after it is first given; a 差评 is followed up (整改) within
# this many working days (好差评 practice: 15).
JIANLI_RATING_CHANGE_DAYS = envint("JIANLI_RATING_CHANGE_DAYS", 15)
JIANLI_RATING_FOLLOW_UP_DAYS = envint("JIANLI_RATING_FOLLOW_UP_DAYS", 15)
JIANLI_CONTACTS = [
    line.split("|")
    for line in envstr(
        "JIANLI_CONTACTS",
        "住房和城乡建设部执业资格注册中心|010-58933876|工作日 9:00-11:30, 13:30-17:00;"
        "政务服务平台技术支持|010-58934114|工作日 8:30-17:30",
    ).split(";")
    if line
]
