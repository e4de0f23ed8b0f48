"""The applicant's help, read by the pages and the API alike: 操作手册 (the manual), 常见问题 (FAQ) and 联系电话."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings

from jianli.registrations.spec import CORRECTION_NOTICE_DAYS, SPECS


@dataclass(frozen=True)
class ManualSection:
    anchor: str
    title: str
    steps: tuple[str, ...]
    image: str = ""
    image_alt: str = ""


MANUAL = (
    ManualSection(
        "first-use",
        "一、首次使用：设置头像和昵称",
        (
            "打开“住房和城乡建设部政务服务平台”，首次使用时先设置头像和昵称。头像可以不上传。",
            "点击“保存”后进入首页，点击“监理工程师”。",
        ),
        "manual/01-first-use.png",
        "设置头像和昵称的页面",
    ),
    ManualSection(
        "catalogue",
        "二、选择要办理的注册业务",
        (
            "在列表中选择“监理工程师执业资格认定”下要办理的业务：初始注册、延续注册、变更注册、注销注册或证书更换。",
            "阅读办事指南（办理依据、所需材料、办理时限），点击“在线办理”。",
        ),
        "manual/02-catalogue.png",
        "注册业务列表",
    ),
    ManualSection(
        "check",
        "三、验证是否为已注册用户",
        (
            "输入姓名和身份证号码，点击“确定”。",
            "已注册的用户直接进入人脸识别；提示“未查询到该用户，是否前往注册？”时，点击“确定”进入用户注册。",
        ),
        "manual/03-check.png",
        "验证已注册用户的页面",
    ),
    ManualSection(
        "register",
        "四、用户注册",
        (
            "填写姓名、身份证号码、手机号码，点击“获取验证码”并填写收到的6位短信验证码。",
            "上传本人近期正面免冠证件照（仅有本人一张清晰的脸），点击“注册”。",
        ),
        "manual/04-register.png",
        "用户注册页面",
    ),
    ManualSection(
        "face",
        "五、人脸识别",
        (
            "阅读并勾选授权项，点击“下一步”，按提示正对摄像头完成识别。",
            "识别成功后显示“已通过”。光线不足、戴帽子或眼镜反光都可能导致失败；1小时内失败5次后请稍后再试，或到服务窗口现场核验。",
        ),
        "manual/05-face.png",
        "人脸识别授权页面",
    ),
    ManualSection(
        "apply",
        "六、填写并提交申请",
        (
            "申报须知：逐条阅读不予注册的情形，确认本人不存在这些情形后勾选。",
            "申报信息：按页面提示填写并上传材料（PDF 不超过2MB，图片不超过500KB），可随时保存草稿。",
            "申报告知：核对全部信息后提交。提交后由聘用单位（经办企业）确认并上报。",
        ),
        "manual/06-apply.png",
        "申报须知页面",
    ),
    ManualSection(
        "more",
        "七、“更多”菜单",
        (
            "在办理页面右上角点击“更多”，可进入信息修改、进度查询、操作手册、常见问题、联系电话；点击“收起”关闭菜单。",
        ),
        "manual/07-more.png",
        "打开的更多菜单",
    ),
    ManualSection(
        "progress",
        "八、进度查询",
        (
            "在“更多”中选择“进度查询”，姓名和证件号码已自动填写，选择业务类型后点击“查询”。",
            "进度页显示“提交申请、企业上报、部级审核、办结”四个环节：灰色空心圆为未进行，蓝色为正在进行，红色叉号为未通过，绿色对勾为已完成。",
            "页面还显示办件编号、当前状态、下一步要做什么、预计办结日期，以及退回、补正或不予注册的原因。",
        ),
        "manual/08-progress.png",
        "办理进度页面",
    ),
    ManualSection(
        "correction",
        "九、退回与补正",
        (
            "企业退回：进度页显示退回原因。点击“撤回后修改并重新申请”，撤回后按原因修改信息（或选择正确的聘用单位）重新申请。",
            "补正：审查人员会一次性告知全部需要补正的内容。点击“去补正”，修改后提交。补正期间不计入办理时限。",
        ),
        "manual/09-correction.png",
        "补正中的办理进度",
    ),
    ManualSection(
        "withdraw",
        "十、撤回业务",
        (
            "在审查开始之前（待企业上报、企业已退回、待审查），进度页上有“撤回业务”按钮。",
            "确认后申请保留为“已撤回”，不会删除任何内容，您可以立即重新申请。审查开始后不能撤回。",
        ),
        "manual/10-withdraw.png",
        "撤回业务确认页面",
    ),
    ManualSection(
        "profile",
        "十一、信息修改",
        (
            "可修改昵称、头像、手机号码（需短信验证码）和证件照（选择新证件照后进行人脸识别，现场拍摄的本人与新证件照比对一致才会更换）。",
            "姓名和身份证号码不能在线修改，请携带身份证件和相关证明到服务窗口办理。",
        ),
        "manual/11-profile.png",
        "信息修改页面",
    ),
    ManualSection(
        "large-text",
        "十二、长辈模式",
        (
            "在页面底部点击“切换到长辈模式（大字）”，文字和按钮会变大；再次点击“切换到标准模式”恢复。",
            "年满60周岁的用户登录后，页面顶部会提示是否开启长辈模式。",
        ),
        "manual/12-large-text.png",
        "长辈模式下的进度查询页面",
    ),
)


def _decision_days() -> str:
    """初始注册一般在20个工作日内作出决定，… from the spec, business types of equal days named together."""
    by_days: dict[int, list[str]] = {}
    for kind, spec in SPECS.items():
        by_days.setdefault(spec.decision_days, []).append(kind.label)
    parts = []
    for days, labels in by_days.items():
        names = labels[0] if len(labels) == 1 else "、".join(labels[:-1]) + "和" + labels[-1]
        parts.append(f"{names}一般在{days}个工作日内作出决定")
    return "，".join(parts)


FAQ: tuple[tuple[str, str], ...] = (
    (
        "取得资格证书超过3年还能初始注册吗？",
        "可以。取得资格证书超过3年申请初始注册的，需要同时提交继续教育的证明材料。",
    ),
    (
        "延续注册最晚什么时候申请？",
        "注册有效期为3年。延续注册应在有效期届满30日前提出申请；延续后有效期自原有效期届满之日起再延续3年。",
    ),
    (
        "注册有效期满未延续怎么办？",
        "有效期届满未延续的，注册自动失效。需要重新执业的，应重新申请初始注册。",
    ),
    (
        "变更聘用单位需要什么材料？",
        "申请变更注册，需提交与新聘用单位的劳动合同，以及与原单位解除劳动关系的证明（或退休证明）。变更注册后仍沿用原注册有效期。",
    ),
    (
        "可以同时在两个单位注册吗？",
        "不可以。在两个或者两个以上单位申请注册的，不予注册。",
    ),
    (
        "年满65周岁后注册还有效吗？",
        "不再有效。年龄超过65周岁的，注册失效，也不能再申请注册。",
    ),
    (
        "单位一直未上报怎么办？",
        "请联系聘用单位的经办人，提醒其在企业端确认并上报。如果已经更换了单位，可在进度查询中撤回该申请，再选择正确的单位重新申请。",
    ),
    (
        "审核需要多长时间？",
        f"材料不齐全的，住房和城乡建设部在收到申请后{CORRECTION_NOTICE_DAYS}个工作日内一次性告知需要补正的全部内容。"
        f"{_decision_days()}，补正期间不计算在内。进度页会显示预计办结日期。",
    ),
    (
        "被退回补正后如何修改？",
        "在进度查询中打开该办件，查看补正事项，点击“去补正”，按要求修改或重新上传材料后提交。请一次性补正全部事项。",
    ),
    (
        "如何撤回已提交的申请？",
        "在审查开始之前，进入进度查询，点击“撤回业务”并确认。撤回后申请保留为“已撤回”，不会删除，您可以立即重新申请。",
    ),
    (
        "人脸识别一直不通过怎么办？",
        "请在光线充足处正对摄像头，摘下帽子和反光的眼镜，确保只有本人入镜。如证件照不清晰，可在“信息修改”中更换证件照。1小时内失败5次后需稍后再试，也可以携带身份证件到服务窗口现场核验。",
    ),
    (
        "注册证书遗失或损坏如何补办？",
        "选择“证书更换”业务，原因选择遗失或污损，上传遗失声明或损坏证书的照片后提交。新证书生效后原证书作废。",
    ),
    (
        "如何查询办理进度？",
        "在办理页面右上角点击“更多”，选择“进度查询”，选择业务类型后点击“查询”。为保护个人信息，只能查询本人的办件。",
    ),
    (
        "手机号码变更了怎么办？",
        "在“更多”中选择“信息修改”，填写新手机号码并输入发送到新号码的短信验证码即可。",
    ),
    (
        "姓名或身份证号码有误怎么办？",
        "姓名和身份证号码不能在线修改。请携带身份证件原件和相关证明材料到服务窗口办理，或先拨打联系电话咨询。",
    ),
)


def contacts() -> list[dict[str, str]]:
    """settings.JIANLI_CONTACTS (name|number|hours) in the configured order, with a tel: target."""
    rows = []
    for entry in settings.JIANLI_CONTACTS:
        name, number, hours = (list(entry) + ["", "", ""])[:3]
        rows.append(
            {"name": name.strip(), "number": number.strip(), "hours": hours.strip(),
             "tel": re.sub(r"[^0-9+]", "", number)}
        )
    return rows
