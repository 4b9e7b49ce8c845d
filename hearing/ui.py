"""What every page of the app shares: the service, the language, the signed-in user, bilingual texts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from hearing.benches import register_benches
from hearing.policy import Action, may
from hearing.security import store_field_key
from hearing.service import HearingService
from hearing.settings import settings_from_environment
from hearing.store import make_engine, migrate
from hearing.views import Principal
from sentencing.catalogue import FactorSpec, FactorType
from sentencing.errors import RULE_NAMES_ZH, InputError
from sentencing.i18n import Label, Language
from sentencing.settings import Settings

__all__ = [
    "FIELDS",
    "STATES",
    "T",
    "choose_hearing",
    "client_source",
    "current_hearing",
    "entry_summary",
    "error_text",
    "language",
    "principal",
    "service",
    "show_error",
    "state_label",
    "stop_if_guideline_alone",
    "t",
    "where_to_ask",
]

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
    "contest": Label("争议事实与敏感性", "Disputed facts and sensitivity"),
    "disputed_title": Label("争议事实的各个版本", "Every version of a disputed fact"),
    "disputed_help": Label(
        "各方对同一事实主张不同版本时：每个版本下的算法建议、指导意见和法官裁量区间并列显示。",
        "When the parties put a fact differently: the algorithm, the guideline and the judge's "
        "band under each version, side by side.",
    ),
    "sensitivity_title": Label("敏感性检验（法律上无关的因素）", "Sensitivity test (legally irrelevant factors)"),
    "sensitivity_help": Label(
        "逐一单独改变性别、户籍、职业、地区、民族等法律上不得影响量刑的因素，观察算法建议是否变化。",
        "Each factor the law says must not matter (sex, household registration, occupation, "
        "region, ethnicity …) changed alone: does the algorithm's answer move?",
    ),
    "findings": Label("质证理由", "Challenge findings"),
    "objection": Label("异议（质证意见）", "Objection"),
    "submission": Label("发表意见", "Submission"),
    "upheld": Label("质证意见成立，予以采纳", "upheld: the challenge stands"),
    "rejected": Label("质证意见不成立，不予采纳", "rejected: the challenge fails"),
    "submission_kind": Label("异议或意见", "Objection or submission"),
    "submission_text": Label("异议或意见的内容", "What the party says"),
    "technician_answer": Label("技术人员的回答", "The technician's answer"),
    "signed_with": Label("签名密钥", "signed with key"),
    "signing_passphrase": Label("签名密钥口令", "Signing key passphrase"),
    "sign_and_enter": Label("签名并记入庭审记录", "Sign and enter in the record"),
    "disposition": Label("法庭认定", "The court's disposition"),
    "disposition_reasons": Label("认定理由", "Reasons for the disposition"),
    "record": Label("庭审记录", "Hearing record"),
    "ruling": Label("法官裁判", "The judge's ruling"),
    "deviation": Label("偏离监测", "Deviation monitor"),
    "standard_report": Label("标准报告", "Standard report"),
    "deep_report": Label("升级为深度报告（记入庭审记录）", "Escalate to the deep report (goes into the record)"),
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
    "departure_reasons": Label("偏离算法建议的理由", "Reasons for departing from the suggestion"),
    "write_ruling": Label("写入算法引用说明", "Write the algorithm citation"),
    "close": Label("结束庭审", "Close the hearing"),
    "state": Label("状态", "State"),
    "sensitive": Label("敏感信息", "Sensitive fields"),
    "no_findings": Label("尚无深度报告。", "No deep report yet."),
    "warnings": Label("提示", "Warnings"),
    "no_warnings": Label("未发现锚定迹象。", "No sign of anchoring."),
    "too_few_rulings": Label(
        "裁判数量不足，无法判断是否存在锚定。", "Too few rulings to judge whether there is anchoring."
    ),
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
    "adopted_missing": Label(
        "请填写宣告刑（月）：不预填任何刑期。", "Enter the sentence adopted (months): none is filled in for you."
    ),
    "appeal": Label("二审审查", "Appeal"),
    "appeal_entered": Label(
        "已记入二审记录，第{seq}条（链接至证据包）",
        "Entered in the appellate record as entry {seq} (chained to the pack)",
    ),
    "appeal_queries": Label("二审查询（链接至已封存的证据包）", "Appellate queries (chained to the sealed pack)"),
    "asking": Label("正在计算……", "Asking the algorithm…"),
    "baseline": Label("本案现状", "This case as it stands"),
    "beside_form": Label("算法建议、指导意见与裁量区间", "The suggestion, the guideline and the band"),
    "case_file": Label("案件文件（JSON）", "Case file (JSON)"),
    "case_file_needed": Label("请上传案件文件", "Upload the case file"),
    "case_file_too_large": Label("文件超过1 MiB", "the file exceeds 1 MiB"),
    "case_id": Label("案件编号", "Case"),
    "check": Label("核验项目", "Check"),
    "citation": Label("算法引用说明", "The algorithm citation"),
    "citation_preview": Label("将要记录的引用说明（请核对）", "The citation as it will be recorded (check it)"),
    "close_confirm": Label(
        "我已核对引用说明；结束庭审后记录不能再增加任何内容",
        "I have checked the citation; once the hearing is closed nothing can be added to its record",
    ),
    "deep_from_record": Label("深度报告：庭审记录第{seq}条", "The deep report: record entry {seq}"),
    "deep_report_tab": Label("深度报告", "Deep report"),
    "defendant_name": Label("被告人姓名（敏感信息，加密保存）", "Defendant's name (sensitive: stored encrypted)"),
    "detail": Label("说明", "Detail"),
    "docket_page": Label("立案与庭审", "Hearings and cases"),
    "download_pdf": Label("下载PDF", "Download the PDF"),
    "edit_hint": Label(
        "如需修改，请在上方表格中修改后再次核对；记录后不能修改。",
        "To change it, edit the form above and review again; once recorded it cannot change.",
    ),
    "entries": Label("共{n}条", "{n} entries"),
    "entry_digest": Label("本条sha256", "This entry's sha256"),
    "escalate_steps": Label(
        "计算中：归因（SHAP、LIME）及其稳定性、假设曲线、争议事实、最少改变、法律无关因素、相似判决、群体审计……",
        "Computing: attributions (SHAP, LIME) and their stability, what-if curves, disputed facts, fewest changes, "
        "legally irrelevant factors, similar judgments, group audit…",
    ),
    "escalate_why": Label(
        "争议案件可升级为深度报告（记入庭审记录）。",
        "A disputed case may be escalated to the deep report (it goes into the record).",
    ),
    "escalated": Label("深度报告已完成并记入庭审记录", "The deep report is done and in the record"),
    "escalating": Label("正在生成深度报告（约3秒）……", "Building the deep report (about 3 s)…"),
    "failed": Label("未通过", "FAILED"),
    "head": Label("最后一条sha256", "head sha256"),
    "hearing_opened": Label("已开庭：庭审 #{n}", "Hearing #{n} opened"),
    "hearings": Label("庭审", "Hearings"),
    "legal_basis": Label("法律依据", "Legal basis"),
    "severity": Label("严重程度", "Severity"),
    "loading_report": Label("正在读取报告……", "Reading the report…"),
    "location": Label("位置", "Location"),
    "model": Label("模型", "Model"),
    "models": Label("模型与模型卡", "Models and cards"),
    "register_model": Label("登记模型", "Register a model"),
    "model_location": Label(
        "模型位置（法院服务器上的模型文件夹或文件，或 https 接口地址）",
        "Where the model is (a model folder or file on the court's server, or an https endpoint)",
    ),
    "model_location_help": Label(
        "装载时即检验：格式不符或预测异常的模型不予登记。",
        "Probed when loaded: a malformed model, or one whose answers are not sane, is refused.",
    ),
    "model_sha256": Label(
        "供应方提供的 sha256（模型卡未载明时必填）",
        "The sha256 the vendor gave (required when the model's card names none)",
    ),
    "model_sha256_help": Label("未经核对摘要的 pickle 文件绝不装载。", "A pickle is never loaded unchecked."),
    "model_location_needed": Label("请填写模型位置", "Enter where the model is"),
    "registering": Label("正在装载并检验模型…", "Loading and probing the model…"),
    "model_registered": Label("模型已登记：#{n}", "Model registered: #{n}"),
    "model_card": Label("模型卡（供应方提供，原文）", "Model card (as the vendor wrote it)"),
    "card_field": Label("项目", "Field"),
    "card_yes": Label("是", "yes"),
    "card_no": Label("否", "no"),
    "card_value": Label("内容", "Value"),
    "card_more": Label("另有 {n} 项未显示", "{n} more rows not shown"),
    "kind_artifact": Label("模型文件", "model file"),
    "kind_endpoint": Label("接口", "endpoint"),
    "batch_audit": Label("批量审查", "Batch audit"),
    "batch_audit_help": Label(
        "以已判决案件（CSV，每行一案，可含实际宣告刑 sentence_months）审查模型：群体平均、控制变量翻转测试、"
        "训练数据覆盖率。更大的文件用命令行 voirdire audit 分块审查。",
        "Audit a model over past cases (CSV, one case a row, optionally with the sentence given, "
        "sentence_months): group means, controlled flip tests, coverage of the training data. "
        "Larger files: voirdire audit on the command line, in chunks.",
    ),
    "audit_file": Label("案件文件（CSV，不超过 64 MiB）", "Case file (CSV, at most 64 MiB)"),
    "audit_file_needed": Label("请上传案件文件", "Upload a case file"),
    "audit_file_too_large": Label("超过 64 MiB；请用命令行 voirdire audit", "over 64 MiB; use voirdire audit"),
    "audit_threshold": Label("翻转测试的阈值（月）", "Flip-test threshold (months)"),
    "audit_go": Label("开始审查", "Run the audit"),
    "auditing": Label("正在审查", "Auditing"),
    "audit_of": Label("模型 #{model} 对 {file} 的审查结果", "Audit of model #{model} over {file}"),
    "findings_count": Label("质证理由数", "Findings"),
    "factor_col": Label("因素", "Factor"),
    "mean_change": Label("平均变化", "Mean change"),
    "typical_change": Label("典型相对变化", "Typical relative change"),
    "months_unit": Label("个月", "months"),
    "n_cases": Label("案件数", "Cases"),
    "coverage_short": Label("覆盖率", "Coverage"),
    "charge": Label("罪名", "Charge"),
    "judge_select": Label("法官", "Judge"),
    "ruled_on": Label("裁判日期", "Ruled on"),
    "amend_citation": Label("修改引用说明（结束庭审前）", "Amend the citation (before closing)"),
    "amend_save": Label("保存修改", "Save the amendment"),
    "amended": Label("引用说明已修改", "The citation is amended"),
    "algorithm_months": Label("算法建议（月）", "Algorithm (months)"),
    "adopted_months": Label("宣告刑（月）", "Sentence (months)"),
    "adjustment": Label("相对算法的调整", "Adjustment vs the algorithm"),
    "no_judges": Label("尚无法官。", "No judge yet."),
    "no_deep_closed": Label(
        "本庭审未升级为深度报告；庭审结束后不能再升级。",
        "This hearing was not escalated to the deep report; after it is open no longer, it cannot be.",
    ),
    "no_deep_yet": Label("尚未升级为深度报告。", "Not escalated to the deep report yet."),
    "no_models": Label("尚未登记模型。", "No model registered yet."),
    "no_model_option": Label("不使用算法模型（仅依量刑指导意见审理）", "No model (heard on the guideline alone)"),
    "guideline_report_head": Label("量刑指导意见报告", "Guideline report"),
    "guideline_gives": Label("量刑指导意见计算结果（月）", "The guideline gives (months)"),
    "guideline_band": Label("法官±20%调整幅度（月）", "The judge's ±20% band (months)"),
    "no_packs_appeal": Label("本庭审尚未封存证据包。", "No pack of this hearing has been sealed yet."),
    "not_checked": Label("未核验", "not checked"),
    "not_open": Label("庭审已不在审理中：不能再提问。", "The hearing is no longer open: no more questions are taken."),
    "now_answer": Label("当前", "Now"),
    "ok": Label("通过", "OK"),
    "open_hearing": Label("立案并开庭", "Register the case and open a hearing"),
    "outcome": Label("结果", "Outcome"),
    "pack_sound": Label("证据包核验通过，重放结果完全一致", "The pack verifies and replays to identical results"),
    "pack_unsound": Label("证据包未通过核验或重放", "The pack failed verification or replay"),
    "parties": Label("当事人用户名（逗号分隔）", "Parties' user names (comma-separated)"),
    "previous_digest": Label("前一条sha256", "Previous entry's sha256"),
    "print_citation": Label("下载引用说明（可打印）", "Download the citation (printable)"),
    "citation_section": Label("裁判文书中的算法辅助说明", "The algorithm citation, ready for the judgment"),
    "committee_referral": Label(
        "该刑期超出量刑指导意见±20%的调整幅度：提交审判委员会讨论决定。",
        "The term lies beyond the guideline's ±20% band: marked for the adjudication committee (审判委员会).",
    ),
    "ai_notice": Label("告知被告人使用人工智能（及其是否拒绝）", "Notice to the defendant that AI is used; refusal"),
    "notified_on": Label("告知日期", "Told on"),
    "notice_means": Label("告知方式", "How"),
    "means_written": Label("书面告知", "in writing"),
    "means_oral": Label("口头告知并记录在案", "orally, on the record"),
    "notice_refused": Label("被告人拒绝使用人工智能辅助", "The defendant refuses the assistance of AI"),
    "deep_ground": Label("应当提供深度报告的事由", "A ground for the deep tier"),
    "deep_provided": Label("深度报告已提供（第 {seq} 条记录）。", "The deep report was provided (entry {seq})."),
    "deep_owed": Label(
        "依本院规则应当提供深度报告：裁判前须记入庭审记录。",
        "Under the court's rule the deep report is owed: it must be in the record before the ruling.",
    ),
    "deep_demand_reasons": Label("要求提供深度报告的理由", "Why the deep tier is demanded"),
    "deep_demand": Label("要求提供深度报告（记入庭审记录）", "Demand the deep report (goes into the record)"),
    "filing": Label("备案与审查", "Filing and review"),
    "filing_help": Label(
        "备案与审查（如已备案，全部填写；将记入该模型参与的每一次庭审）",
        "Filing (备案) and review: all fields, when the model was filed; entered in every hearing the model answers in",
    ),
    "filing_number": Label("备案号", "Filing number"),
    "filing_authority": Label("备案机关", "Filed with"),
    "filing_risk_level": Label("风险等级", "Risk level"),
    "filing_assessed_on": Label("安全评估日期", "Security assessment on"),
    "filing_ethics_on": Label("伦理审查日期", "Ethics review on"),
    "filing_sha256": Label("备案模型的 sha256", "sha256 of the filed model"),
    "filing_model_sha256": Label("备案模型的 sha256", "sha256 of the filed model"),
    "filing_matches": Label("登记的模型即为备案的模型。", "The registered model is the filed one."),
    "filing_differs": Label(
        "登记的模型与备案的模型不一致：每次庭审将提出质证理由。",
        "The registered model is not the filed one: every hearing it answers in raises a finding.",
    ),
    "filing_none": Label("未记录备案信息。", "No filing recorded."),
    "offender_group": Label("被告人类别", "Offender group"),
    "groups_apart": Label("累犯、有前科者与初犯分列", "Recidivists, prior records and first offenders apart"),
    "rulings": Label("裁判数", "Rulings"),
    "mean_adjustment": Label("平均调整", "Mean adjustment"),
    "mean_size": Label("平均调整幅度", "Mean size"),
    "period_window": Label(
        "最近 {days} 天内：{count} 个裁判，平均调整幅度 {size}。",
        "The last {days} days: {count} ruling(s), adjustments of {size} on average.",
    ),
    "anchoring_warning": Label("偏离监测提示", "The deviation monitor warns"),
    "anchoring_reasons": Label(
        "原因说明（偏离监测提示后必填）", "Written reason (required after the deviation monitor's warning)"
    ),
    "question": Label("质证问题", "Question for counsel"),
    "record_empty": Label("庭审记录尚无条目。", "The record has no entries yet."),
    "rendering": Label("正在排版报告……", "Laying out the report…"),
    "replayed": Label("已重放{n}项，{exact}项完全一致", "{n} replayed, {exact} identical"),
    "review_citation": Label("核对引用说明", "Review the citation"),
    "ruling_written": Label("引用说明已记录", "The citation is recorded"),
    "seal_failed": Label("封存失败", "Sealing failed"),
    "seal_step": Label("正在进行：", "Now: "),
    "sealed_done": Label("证据包已封存", "The pack is sealed"),
    "sealing": Label("正在封存证据包……", "Sealing the pack…"),
    "searching": Label("正在搜索（精确搜索）……", "Searching (exact search)…"),
    "see_pack": Label("详见证据包", "see the pack"),
    "verify_replay": Label("核验并重放证据包", "Verify and replay the pack"),
    "verifying": Label("正在核验并重放……", "Verifying and replaying…"),
    "version": Label("版本", "Version"),
    "what_changed": Label("改变的事实", "What changed"),
    "where": Label("提问方式", "Where the question goes"),
    "workspace_empty": Label("尚无私下准备的查询。", "No private questions yet."),
    "workspace_note": Label("仅本人可见，不记入庭审记录。", "Only you see these; they are not in the record."),
    "workspace_page": Label("我的私下准备", "My private preparation"),
    "intake_from": Label("案件来源", "The case comes from"),
    "intake_from_file": Label("案件文件（JSON）", "a case file (JSON)"),
    "intake_from_text": Label(
        "文书原文（判决书、起诉书或量刑建议书）", "a document's text (judgment, indictment or proposal)"
    ),
    "intake_text": Label("粘贴文书原文", "Paste the document's text"),
    "intake_charge": Label("罪名", "Charge"),
    "intake_charge_read": Label("（由文书读取）", "(as the text says)"),
    "intake_read": Label("读取", "Read"),
    "intake_text_needed": Label("请先粘贴文书原文", "Paste the document's text first"),
    "party_needed": Label("请填写用户名", "Enter a user name"),
    "intake_reading": Label("正在读取文书…", "Reading the text…"),
    "intake_read_as": Label("读取结果", "Read as"),
    "intake_no_charge": Label("文书未能确定罪名，请选择", "the text does not decide the charge: choose it"),
    "intake_counts": Label(
        "读取事实 {facts} 项；需补充的必要事实 {missing} 项；相互矛盾 {contradictions} 项",
        "{facts} facts read; {missing} required facts to supply; {contradictions} contradictions",
    ),
    "intake_action": Label("核对", "Check"),
    "intake_confirm": Label("确认", "confirm"),
    "intake_correct": Label("更正", "correct"),
    "intake_remove": Label("删除", "remove"),
    "intake_contradiction": Label("文书表述相互矛盾，请认定", "the text contradicts itself: settle it"),
    "intake_settle": Label("认定为", "Settled as"),
    "intake_neither": Label("均不认定", "neither"),
    "intake_required": Label("文书未载明的必要事实（请填写）", "Required facts the text does not state (supply them)"),
    "intake_defaults": Label(
        "文书未载明的其他事实（{n} 项，取默认值，可修改）",
        "Other facts the text does not state ({n}, the catalogue's defaults; change any)",
    ),
    "intake_open": Label("确认事实，立案并开庭", "Confirm the facts, register the case and open a hearing"),
    "doc_judgment": Label("判决书", "judgment"),
    "doc_indictment": Label("起诉书", "indictment"),
    "doc_proposal": Label("量刑建议书", "sentencing proposal"),
    "doc_unknown": Label("文书类型不明", "document of unknown kind"),
    "manage_parties": Label("当事人", "Parties"),
    "party": Label("用户名", "User name"),
    "party_add": Label("加入", "Add"),
    "role": Label("角色", "Role"),
    "party_withdraw": Label("撤出", "Withdraw"),
    "role_clerk": Label("书记员", "clerk"),
    "role_defence": Label("辩护人", "defence"),
    "role_prosecution": Label("公诉人", "prosecution"),
    "role_duty_lawyer": Label("值班律师", "duty lawyer"),
    "role_judge": Label("法官", "judge"),
    "role_appellate_judge": Label("二审法官", "appellate judge"),
    "role_technologist": Label("法院技术人员", "court technologist"),
    "role_technician": Label("出庭技术人员", "technician (the model's expert in court)"),
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


STATES: dict[str, Label] = {
    "open": Label("开庭审理中", "open"),
    "ruled": Label("已写入算法引用说明", "ruled (citation written)"),
    "closed": Label("庭审已结束", "closed"),
    "sealed": Label("证据包已封存", "sealed"),
}

# The fields a user fills in the app, as the form names them: an error names the field the user sees.
FIELDS: dict[str, Label] = {
    "weighed_liability": Label("责任刑考量", "What the judge weighed: liability"),
    "weighed_prevention": Label("预防刑考量", "What the judge weighed: prevention"),
    "departure_reasons": Label("偏离算法建议的理由", "Reasons for departing from the suggestion"),
    "adopted_months": Label("宣告刑（月）", "Sentence adopted (months)"),
    "adopted_class": Label("法院认定的风险等级", "Risk class the court finds"),
    "passphrase": Label("签名密钥口令", "Sealing key passphrase"),
    "proposal_decision": Label("对量刑建议的决定", "Decision on the proposal"),
    "proposal_decision.reasons": Label("对量刑建议决定的理由", "Reasons for the decision on the proposal"),
    "proposal_decision.ground": Label("不采纳或调整的理由类别", "Ground for adjusting or not adopting it"),
    "proposal_decision.decision": Label("对量刑建议的决定", "Decision on the proposal"),
    "password": Label("密码", "Password"),
    "username": Label("用户名", "User name"),
}


def state_label(state: str) -> str:
    return STATES[state].text(language()) if state in STATES else state


def choose_hearing(user: Principal) -> int | None:
    """The sidebar's hearing selector (in the app's entry script, so that it is one widget on every page); the
    choice is kept in the session and in the address (``?hearing=N``), so that it survives a page change and a
    reload, and a party never queries another hearing than the one it sees named."""
    st.session_state.pop("hearing_summary", None)
    if not may(user.role, Action.VIEW_HEARING):
        return None
    hearings = service().hearings(st.session_state["token"])
    if not hearings:
        st.session_state.pop("hearing", None)
        return None
    by_id = {h.hearing_id: h for h in hearings}
    wanted = st.session_state.get("hearing")
    if wanted not in by_id:
        asked = st.query_params.get("hearing")
        wanted = int(asked) if asked and asked.isdigit() and int(asked) in by_id else hearings[0].hearing_id
    lang = language()
    labels = {h.hearing_id: f"#{h.hearing_id} · {h.case_id} · {STATES[h.state].text(lang)}" for h in hearings}
    ids = list(labels)
    choice = st.sidebar.selectbox(t("hearing"), ids, index=ids.index(wanted), format_func=labels.__getitem__,
                                  key="hearing_choice")  # fmt: skip
    st.session_state["hearing"] = int(choice)
    st.session_state["hearing_summary"] = by_id[choice]  # the page names it without asking the store again
    st.query_params["hearing"] = str(choice)
    return int(choice)


def current_hearing() -> int | None:
    """The hearing chosen in the sidebar; each page says which case and state it shows."""
    user = principal()
    if user is None or not may(user.role, Action.VIEW_HEARING):
        st.info(t("no_access"))
        return None
    summary = st.session_state.get("hearing_summary")  # set by the sidebar's selector in this very run
    if summary is None:
        st.info(t("no_hearing"))
        return None
    st.caption(f"{t('hearing')} #{summary.hearing_id} · {summary.case_id} · {t('state')}: {state_label(summary.state)}")
    return int(summary.hearing_id)


def fact_input(spec: FactorSpec, current: Any, key: str, lang: Language, where: Any = None) -> Any:
    """A widget for one fact of the catalogue, by its type and lawful range, labelled in ``lang``; its value (a
    whole number stays whole). ``where``: the column or container (else the page). ``current`` None: the widget
    starts empty (nothing is put in the user's mouth) and gives None until the user fills it."""
    where = where if where is not None else st
    label = spec.label.text(lang)
    if spec.type is FactorType.BOOLEAN:
        return where.checkbox(label, value=bool(current), key=key)
    if spec.type is FactorType.ENUM:
        choices: list[str] = list(spec.values)
        labels = {v: spec.value_label(v, lang) for v in choices}
        index = choices.index(str(current)) if current is not None and str(current) in choices else None
        return where.selectbox(label, choices, index=index, key=key, format_func=labels.__getitem__)
    high = spec.maximum
    if spec.type is FactorType.INTEGER:
        number = where.number_input(label, min_value=int(spec.minimum or 0),
                                    max_value=None if high is None else int(high),
                                    value=None if current is None else int(current), step=1, key=key)  # fmt: skip
        return None if number is None else int(number)
    value = where.number_input(label, min_value=float(spec.minimum or 0),
                               max_value=None if high is None else float(high),
                               value=None if current is None else float(current), key=key)  # fmt: skip
    return None if value is None else (int(value) if float(value).is_integer() else value)


def show_error(error: Exception, aliases: Mapping[str, str] | None = None) -> None:
    """One line in the user's language: the field as the form names it and the rule's name lead, the detail after
    (``aliases``: a server-side path shown as the name the user knows it by, e.g. an upload's temporary copy)."""
    text = error_text(error, language())
    for path, name in (aliases or {}).items():
        text = text.replace(path, name)
    st.error(text)


def error_text(error: Exception, lang: Language) -> str:
    detail = " ".join(str(getattr(error, "detail", error)).split())
    if not isinstance(error, InputError):
        return " ".join(str(error).split())
    field = error.field.split(" ")[0].strip("'\"")
    named = FIELDS[field].text(lang) if field in FIELDS else error.field
    if lang == "zh-CN" and error.rule in RULE_NAMES_ZH:
        return f"{named}：{RULE_NAMES_ZH[error.rule]} — {detail}"
    return f"{named}: {detail}"


def stop_if_guideline_alone(hearing_id: int) -> None:
    """On a page whose every question asks the model: when the hearing rests on the guideline alone (no model, or the
    defendant refused it), say why and show nothing that would ask it."""
    alone = service().guideline_alone(st.session_state["token"], hearing_id)
    if alone is not None:
        st.info(alone.reason.text(language()))
        st.stop()


def where_to_ask(role: str, hearing_id: int, key: str) -> bool | None:
    """Where a question goes: True in open court (the record), False the caller's private workspace, None nowhere
    (the hearing is no longer open). Private by default: a party puts a question on the record by choice."""
    token = st.session_state["token"]
    if service().hearing_state(token, hearing_id) != "open":
        st.info(t("not_open"))
        return None
    private_ok, open_ok = may(role, Action.QUERY_WORKSPACE), may(role, Action.QUERY_OPEN_COURT)
    if role == "duty_lawyer":
        open_ok = service().has_leave(token, hearing_id)
    if private_ok and open_ok:
        labels = {"private": t("workspace"), "open": t("open_court")}
        mode = st.radio(t("where"), ["private", "open"], horizontal=True, key=f"{key}_mode",
                        format_func=labels.__getitem__)  # fmt: skip
        return mode == "open"
    st.caption(t("open_court") if open_ok else t("workspace"))
    return bool(open_ok)


def entry_summary(
    bench: Any, operation: str, parameters: Mapping[str, Any], result: Any, lang: Language
) -> tuple[str, str]:
    """An entry (of the record, a workspace or the appellate record) as a court reads it: what was asked (the
    operation's name and its question) and the answer."""
    label = service().operation_label(operation).text(lang)
    try:
        asked, answer = bench.entry_text(operation, parameters, result, lang)
    except (KeyError, TypeError, ValueError):  # an entry this bench does not summarise: named, not dumped
        asked, answer = "", t("see_pack")
    return (f"{label} · {asked}" if asked else label), answer


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
