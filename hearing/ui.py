"""What every page of the app shares: the service, the language, the signed-in user, bilingual texts."""

from __future__ import annotations

from typing import Any

import streamlit as st

from hearing.benches import register_benches
from hearing.policy import Action, may
from hearing.security import store_field_key
from hearing.service import HearingService
from hearing.settings import settings_from_environment
from hearing.store import make_engine, migrate
from hearing.views import Principal
from sentencing.i18n import Label, Language
from sentencing.settings import Settings

__all__ = ["T", "client_source", "current_hearing", "language", "principal", "service", "t"]

T: dict[str, Label] = {
    "app": Label("voirdire 算法证据质证", "voirdire: examining algorithmic evidence"),
    "login": Label("登录", "Log in"),
    "logout": Label("退出", "Log out"),
    "username": Label("用户名", "User name"),
    "password": Label("密码", "Password"),
    "language": Label("语言", "Language"),
    "hearing": Label("庭审", "Hearing"),
    "no_hearing": Label("您尚未参加任何庭审。", "You are not a party to any hearing."),
    "no_access": Label("您的角色无权查看庭审。", "Your role may not view hearings."),
    "case": Label("案件与报告", "Case and report"),
    "whatif": Label("假设查询", "What-if bench"),
    "search": Label("最少改变搜索", "Minimal-change search"),
    "findings": Label("质证理由", "Challenge findings"),
    "record": Label("庭审记录", "Hearing record"),
    "ruling": Label("法官裁判", "The judge's ruling"),
    "deviation": Label("偏离监测", "Deviation monitor"),
    "standard_report": Label("标准报告", "Standard report"),
    "deep_report": Label("升级为深度报告", "Escalate to the deep report"),
    "open_court": Label("当庭（记入庭审记录）", "In open court (goes into the record)"),
    "workspace": Label("私下准备（仅本方可见）", "Private preparation (your side only)"),
    "ask": Label("查询", "Ask"),
    "search_button": Label("搜索", "Search"),
    "verify": Label("核验记录", "Verify the record"),
    "verified": Label("记录完整，未被篡改", "The record is complete and unaltered"),
    "broken": Label("记录被改动", "The record was altered"),
    "weighed_liability": Label("责任刑考量", "What the judge weighed: liability"),
    "weighed_prevention": Label("预防刑考量", "What the judge weighed: prevention"),
    "particulars": Label("案件具体情况", "Particulars of the case"),
    "reasons": Label("偏离算法建议的理由", "Reasons for departing from the suggestion"),
    "write_ruling": Label("写入算法引用说明", "Write the algorithm citation"),
    "close": Label("结束庭审", "Close the hearing"),
    "state": Label("状态", "State"),
    "sensitive": Label("敏感信息", "Sensitive fields"),
    "no_findings": Label("尚无深度报告。", "No deep report yet."),
    "warnings": Label("提示", "Warnings"),
    "no_warnings": Label("未发现锚定迹象。", "No sign of anchoring."),
    "done": Label("已完成", "Done"),
    "pack": Label("证据包（封存）", "Evidence pack (sealed)"),
    "passphrase": Label("签名密钥口令", "Sealing key passphrase"),
    "create_key": Label("生成我的签名密钥", "Create my sealing key"),
    "key_fingerprint": Label("签名密钥指纹", "Sealing key fingerprint"),
    "key_awaits_approval": Label(
        "该签名密钥尚待法院技术人员审核批准（voirdire key-certify）；批准前不能封存证据包。",
        "This sealing key awaits the court technologist's approval (voirdire key-certify); until then no pack can "
        "be sealed with it.",
    ),
    "seal": Label("封存证据包", "Seal the evidence pack"),
    "sealed_as": Label("已封存：第{version}版", "Sealed: version {version}"),
    "download_pack": Label("下载证据包归档（.tar）", "Download the pack archive (.tar)"),
    "docket": Label("已封存的证据包", "Sealed packs"),
    "no_packs": Label("尚未封存证据包。", "No pack sealed yet."),
    "negotiation": Label("认罪认罚协商", "Plea negotiation"),
    "no_proposal": Label(
        "本案没有检察机关的量刑建议（非认罪认罚案件）。", "This case holds no sentencing proposal (not a plea case)."
    ),
    "entered": Label("已记入庭审记录", "Entered in the record as entry"),
    "enter": Label("记入庭审记录", "Enter in the record"),
    "offer": Label(
        "量刑意见（提议、反提议、同意、不同意、调整）", "Offer, counter-offer, acceptance, refusal, adjustment"
    ),
    "offer_kind": Label("类型", "Kind"),
    "term_low": Label("有期徒刑（月）下限", "Fixed-term imprisonment (months), from"),
    "term_high": Label("有期徒刑（月）上限", "to"),
    "probation": Label("适用缓刑", "Suspended (probation)"),
    "responds_to": Label("所回应的记录条目（0：无）", "Entry answered (0: none)"),
    "made_on": Label("提出日期", "Made on"),
    "note": Label("说明", "Note"),
    "opinion": Label("对量刑建议的意见", "Opinion on the sentencing proposal"),
    "stance": Label("意见", "Stance"),
    "stance_agrees": Label("同意", "agrees"),
    "stance_objects": Label("提出异议", "objects"),
    "opinion_text": Label("意见内容", "The opinion"),
    "recording": Label("协商过程同步录音录像", "Recording of the negotiation"),
    "recording_file": Label(
        "录音录像文件（只记录其sha256摘要，文件由法院保存）",
        "The recording (only its sha256 enters the record; the court keeps the file)",
    ),
    "recording_needed": Label("请选择录音录像文件", "Choose the recording's file"),
    "media": Label("类型", "Medium"),
    "media_video": Label("录像", "video"),
    "media_audio": Label("录音", "audio"),
    "recorded_on": Label("录制日期", "Recorded on"),
    "duration": Label("时长（秒）", "Duration (seconds)"),
    "leave": Label("准许值班律师当庭提问", "Leave for a duty lawyer to query in open court"),
    "duty_lawyer": Label("值班律师用户名", "The duty lawyer's user name"),
    "leave_reasons": Label("理由", "Reasons"),
}


def t(key: str) -> str:
    return T[key].text(language())


def language() -> Language:
    value = st.session_state.get("language", "zh-CN")
    return "en" if value == "en" else "zh-CN"


@st.cache_resource
def _service(settings: Settings) -> HearingService:
    engine = make_engine(settings.store_url)
    migrate(engine, field_key=store_field_key(settings.store_key_path))
    court = HearingService(engine, settings)
    register_benches(court.kinds)
    return court


def service() -> HearingService:
    """The court's service for the settings this app runs with (read at the edge); the pages' benches attached."""
    return _service(settings_from_environment())


def client_source() -> str:
    """Where a log-in comes from (the browser's address, as the server sees it), for the log-in throttle."""
    try:
        address = st.context.ip_address
    except Exception:  # outside a browser session (AppTest): one source for all
        address = None
    return f"app {address}" if address else "app"


def principal() -> Principal | None:
    token = st.session_state.get("token")
    if not token:
        return None
    try:
        return service().principal(token)
    except Exception:  # an expired session: back to the log-in page
        st.session_state.pop("token", None)
        return None


def current_hearing() -> int | None:
    """The hearing chosen in the sidebar (the caller's hearings only)."""
    token = st.session_state.get("token")
    user = principal()
    if user is None or not may(user.role, Action.VIEW_HEARING):
        st.info(t("no_access"))
        return None
    hearings = service().hearings(token) if token else []
    if not hearings:
        st.info(t("no_hearing"))
        return None
    labels = {h.hearing_id: f"#{h.hearing_id} · {h.case_id} · {h.state}" for h in hearings}
    choice = st.sidebar.selectbox(t("hearing"), list(labels), format_func=lambda h: labels[h], key="hearing_id")
    return int(choice)


def show_error(error: Exception) -> None:
    st.error(" ".join(str(error).split()))


def query(hearing_id: int, operation: str, parameters: dict[str, Any], open_court: bool = True) -> Any:
    """Run a query through the service; errors are shown to the user, never as a traceback."""
    try:
        outcome, _ = service().query(
            st.session_state["token"], hearing_id, operation, parameters, open_court=open_court
        )
    except Exception as error:  # every error the service raises carries a message for the user
        show_error(error)
        return None
    return outcome.result
