"""The words and header values the rules look for, in one place so they can be reviewed.

Patterns are written from public knowledge of how mail systems and people write (RFC 3834,
RFC 3464, Italian certified mail's receipts, common mail-client and CRM behaviour), in English,
German, French, Spanish, Italian, Dutch and Portuguese; the subjects and stock phrases of
automatic replies and delivery failures also in Polish, Swedish, Danish, Norwegian, Finnish,
Czech, Slovak, Russian, Turkish, Hungarian, Greek, Japanese, Chinese and Korean, as mail servers
and clients write them. They are matched against
the subject and the *fresh* text of a reply (quoted history cut off), never against what the
buyer wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .alternation import literal_first

__all__ = (
    "ACK_BODY",
    "ADDRESS",
    "ADDRESS_GREETING",
    "ANYONE_GREETING",
    "AUTO_BODY",
    "AUTO_SUBJECT",
    "BOUNCE_BODY",
    "BOUNCE_SENDER",
    "BOUNCE_SENDER_NAME",
    "BOUNCE_SUBJECT",
    "BULK_ENVELOPE",
    "CALENDAR_REPLY_LINE",
    "CALENDAR_REPLY_SUBJECT",
    "CGI_VARIABLES",
    "CJK_NAME",
    "COPYRIGHT_LINE",
    "CRM_HEADERS",
    "CRM_MAILERS",
    "DATA_LINE",
    "DELAY_WORDS",
    "DSN_FIELDS",
    "FIGURE",
    "FIRST_PERSON",
    "FORM_FIELD",
    "FORM_NOT_A_FIELD",
    "GENERIC_GREETING",
    "LOCAL_SENDER",
    "MERGED_NAME_GREETING",
    "MERGE_FIELD",
    "MESSAGE_ID_SENDERS",
    "NOREPLY_ENVELOPE",
    "NOREPLY_SENDER",
    "NOTES_RECEIPT",
    "NOTICE_SUBJECT",
    "NOTIFICATION_BODY",
    "NOTIFICATION_SUBJECT",
    "NOT_A_NAME",
    "OOO_BODY",
    "OOO_SUBJECT",
    "PEC_FAILURES",
    "PERSON_SIGNOFF",
    "PROGRAM_HEADERS",
    "QUESTION_TO_BUYER",
    "QUOTE_START",
    "RECEIPT_BODY",
    "RECEIPT_SUBJECT",
    "SERVICE_ENVELOPE",
    "SERVICE_NOTICE",
    "SIGNED_NAME",
    "SITE_SENDER",
    "SUCCESS_BODY",
    "TEAM_LINE",
    "TEAM_SIGNOFF",
    "THANKS_OPENER",
    "TRANSACTION_SUBJECT",
    "VACATION_SUBJECT",
    "WEB_MAILERS",
    "WORD",
    "Hit",
    "Phrases",
)


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a :class:`Phrases` pattern matched, with the text as the message wrote it."""

    text: str
    begin: int
    finish: int

    def __bool__(self) -> Literal[True]:
        return True

    def group(self, _index: int = 0) -> str:
        return self.text

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish


class Phrases:
    """A case-insensitive pattern, written in lower case and matched against lower-cased text
    (with the typographic apostrophe ’ read as ').

    Python's ``re`` is several times slower with IGNORECASE on Unicode text, and these patterns
    run on every message. When lower-casing changes the text's length (a handful of characters,
    such as the Turkish dotted capital I), the IGNORECASE form is used instead, so both give the
    same matches.
    """

    __slots__ = ("_folded", "_lower", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        fast = literal_first(pattern)  # the same pattern, that re can scan for quickly
        self._lower = re.compile(fast, flags)
        self._folded = re.compile(fast, flags | re.I)

    def _scan(self, text: str) -> tuple[re.Pattern[str], str]:
        """The compiled form to use and the text to run it on (same length, same offsets)."""
        # Phones and word processors write "I’m": read it as "I'm".
        low = text.lower().replace("’", "'")
        if len(low) != len(text):
            return self._folded, text.replace("’", "'")
        return self._lower, low

    def search(self, text: str) -> Hit | None:
        pattern, scanned = self._scan(text)
        m = pattern.search(scanned)
        return None if m is None else Hit(text[m.start() : m.end()], m.start(), m.end())

    def finditer(self, text: str) -> Iterator[Hit]:
        """Every match, in order, as :meth:`search` would find them one after another."""
        pattern, scanned = self._scan(text)
        for m in pattern.finditer(scanned):
            yield Hit(text[m.start() : m.end()], m.start(), m.end())

    def match(self, text: str) -> Hit | None:
        m = self._folded.match(text)
        return None if m is None else Hit(m.group(0), m.start(), m.end())


OOO_SUBJECT = Phrases(
    r"out of (the )?office|\booo\b|abwesen|abwesenheit|nicht im b[üu]ro|"
    r"absence (du bureau|from (the )?office)|absent(e)?\b|en cong[ée]|fuera de la oficina|"
    r"ausente|fuori ufficio|assente|afwezig|niet aanwezig|fora do escrit[óo]rio|"
    r"on (annual )?leave|(vacation|holiday|absence) (notice|message|reply|notification)|"
    # A holiday word says "away" when it is a state ("On vacation", "Im Urlaub") or has an end.
    r"\b(on|in|im) (vacation|holiday|urlaub)\b|de vacaciones|em f[ée]rias|"
    r"(vacation|urlaub|vacaciones|absence|aus[êe]ncia)\b[^\n]{0,20}\b(until|till|through|"
    r"thru|bis|jusqu|hasta|fino|at[ée])\b|"
    # Outlook's and webmail's out-of-office subjects in the other common mail languages.
    r"nieobecn|fr[åa]nvar|frav[æa]rende|ikke p[åa] kontoret|poissa toimistolta|lomalla|"
    r"nep[řr][íi]tomn|mimo kancel[áa][řr]|вне офиса|отсутству|в отпуске|"
    r"不在のお知らせ|不在通知|不在办公室|休假中|ofis d[ıi][şs][ıi]|izindeyim|h[áa]zon k[íi]v[üu]l|"
    r"εκτός γραφείου|부재",
)
# A holiday word alone ("Vacation", "Urlaub 2024", "Vacation plans") is also the subject of a
# person's note about their own leave: evidence only.
VACATION_SUBJECT = Phrases(r"\b(vacation|urlaub\w*|vacaciones|absence|aus[êe]ncia)\b")
# "We have received your message" / "your message was received", in the languages whose
# automatic-reply subjects are listed below (English, German, French, Spanish are in ACK_BODY).
_RECEIVED_YOURS = (
    r"abbiamo ricevuto (la sua|il suo|la tua|il tuo)|(la sua|la tua) (richiesta|e-?mail|"
    r"segnalazione) [èe] stata ricevuta|recebemos (a )?(sua|tua)|"
    r"(sua|tua) (mensagem|solicita[çc][ãa]o) foi recebida|we hebben uw .{0,30}ontvangen|"
    r"otrzymali[śs]my (twoj|pa[ńn]sk|wiadomo)|(twoja|pa[ńn]ska) wiadomo[śs][ćc] zosta[łl]a "
    r"(odebrana|przyj[ęe]ta)|"
    r"(va[šs]e|v[áa][šs]) .{0,30}(zpr[áa]va|e-?mail|dotaz|[žz][áa]dost|podn[ěe]t) (byla|byl) "
    r"(p[řr]ijat|p[řr]evzat|doru[čc]en|zaevidov[áa]n)|"
    r"vi har (tagit emot|mottagit|modtaget|mottatt) (ditt|din|dit|deres|er)|"
    r"olemme vastaanottaneet|viestisi on vastaanotettu|"
    r"(ваше|твое|твоё) (письмо|сообщение|обращение) (получено|принято|зарегистрировано)|"
    r"мы получили ваше|mesaj[ıi]n[ıi]z[ıi]? (al[ıi]nd[ıi]|ula[şs]t[ıi])|"
    r"(megkaptuk|meg[ée]rkezett) .{0,30}(lev[ée]l|[üu]zenet)|"
    r"λάβαμε το (μήνυμά|email) σας"
)
AUTO_SUBJECT = Phrases(
    r"auto(matic|matische|matisch)?[- ]?(reply|response|antwort|answer)|autoreply|autorespon|"
    r"auto(matically)?[- ]?generated|automatyczna odpowied|"
    # "Automated 30 day renewal reminder": not "Re: question about automated parking".
    r"^\s*(\[[^\]]*\]\s*)?automated\b|automated (reminder|notification|notice|message|e-?mail|"
    r"alert|report|response|reply)|"
    r"r[ée]ponse automatique|respuesta autom[áa]tica|risposta automatica|"
    r"automatisch(e)? (antwoord|antwort)|resposta autom[áa]tica|"
    r"\back(nowledge?ment)?\b|we('ve| have) received your|thank(s| you) for (your|contacting)|"
    r"ihre anfrage (ist|wurde)|eingangsbest[äa]tigung|accus[ée] de r[ée]ception|"
    r"hemos recibido|confirmaci[óo]n de recepci[óo]n|"
    r"automatiskt? svar|autosvar|automaattinen vastaus|automatick[áa] odpov[ěe][dď]|"
    r"автоответ|автоматический ответ|自動応答|自動返信|自动回复|自动答复|自動回覆|"
    r"otomatik (yan[ıi]t|cevap)|automatikus v[áa]lasz|αυτόματη απάντηση|자동 ?(회신|응답)|"
    + _RECEIVED_YOURS,
)
BOUNCE_SENDER = Phrases(
    r"^(mailer[-_.]?daemon|mail[-_.]?daemon|post[-_.]?master|mail[-_.]?delivery[-_.]?"
    r"(system|subsystem)?|mdaemon)@",
)
# A mail system that names itself in the display name, whatever the address (``MAILER-DAEMON
# <>``, "Mail Delivery System <postfix@host>", "Mail Administrator <...>").
BOUNCE_SENDER_NAME = Phrases(
    r"mailer[-_ ]?daemon|mail delivery (system|subsystem)|postmaster|mail administrator|"
    r"system administrator|internet mail delivery|mail system|mail router",
)
BOUNCE_SUBJECT = Phrases(
    r"undeliver|undelivered|delivery status notification|returned mail|returned to sender|"
    r"delivery (has )?failed|delivery failure|failure notice|mail delivery (failed|system)|"
    r"could not be delivered|nondeliverable|non-delivery|delivery (notification|problem)|"
    # A notice that names the failure first ("failure delivery[550 ...]", "Recipient does not
    # exist"); it still needs a mail system's second sign to count.
    r"failure (of )?delivery|failed (delivery|mail)|rece?ipient (does not exist|not found|unknown)|"
    r"(mail )?delivery warning|传输失败|发送失败|"
    r"unzustellbar|nicht zugestellt|unzustellbare|non remis|non distribu|"
    r"[ée]chec de (la )?(remise|distribution)|no se puede entregar|no entregado|"
    r"entrega fallida|mancato recapito|mancata consegna|onbestelbaar|delayed mail|delivery delayed|"
    r"warning: message .* delayed|message .*not yet (been )?delivered|has not yet been delivered|"
    r"noch nicht zugestellt|pas encore (été )?(remis|distribu)|"
    r"(aún|todavía) no (ha sido|se ha) entregad|"
    r"n[ãa]o (foi )?entregue|n[ãa]o [ée] poss[íi]vel entregar|niedostarcz|olevererbar|"
    r"kunde inte levereras|kan ikke leveres|ikke levert|nedoru[čc]iteln|недоставлен|"
    r"невозможно доставить|配信不能|配信エラー|未送達|无法投递|投递失败|退信|"
    r"iletilemedi|teslim edilemedi|k[ée]zbes[íi]thetetlen|toimittamaton|ei voitu toimittaa",
)
BOUNCE_BODY = Phrases(
    r"(could not|couldn't|was not|wasn't|cannot|can't) be delivered|message undelivered|"
    r"undelivered (mail|message)|(was not|wasn't|were not|weren't|not) able to deliver|"
    r"(mail|message) (has been|was) returned (to you )?because|returned mail follows|"
    r"(has been|was) postponed due to|will continue to (try|attempt) to deliver|"
    r"unable to deliver (your|the) (mail|message|e-?mail)|delivery (to the following )?"
    r"recipients? failed|permanent(ly)? (error|fail)|user unknown|no such user|"
    r"mailbox (unavailable|not found|full|is full)|address rejected|recipient address rejected|"
    r"mailbox( for (the )?(user|recipient))? is full|quota exceeded|over (the |their )?quota|"
    r"not a valid (user|recipient|mailbox|address)|(was|has been) automatically rejected|"
    r"- ?failed recipients? ?-|requested action aborted|mail loop detected|"
    r"postfach[^\n]{0,60} (ist )?voll\b|bo[îi]te (aux lettres|mail)[^\n]{0,60} pleine\b|"
    r"buz[óo]n[^\n]{0,60} lleno\b|casella (di posta|email)[^\n]{0,60} piena\b|"
    r"message not delivered|konnte nicht zugestellt|n'a pas pu être remis|no se pudo entregar|"
    r"this is the mail system at host|the following address(es)? failed|"
    r"error (occurred )?(while )?(trying to )?deliver(ing)? (the |your )?(mail|message)|"
    r"delivery has failed to these recipients|"
    r"did not reach (the following|some or all of the intended) recipient|"
    r"could not be reached|rece?ipient (name )?(is )?not (recognized|found)|unknown recipient|"
    r"addresses had (permanent|fatal|delivery) (fatal )?(errors|problems)|"
    r"was not delivered\b|requested action not taken|not listed in (the )?(domino )?directory|"
    # Lotus Notes: the router's heading and its reason for an unknown user.
    r"not listed in (the )?(public )?name (&|and) address book|failure reasons\s*-{3,}|"
    r"(invalid|unknown) (user|recipient) (address)?|mailbox (does not exist|unavailable)|"
    r"domain (name )?(does not exist|not found)|message size exceeds|"
    r"zustellung (ist )?fehlgeschlagen|(konnte|kann) nicht (an .{0,60})?zugestellt werden|"
    r"n'a pas (pu|été) (être )?(remis|distribu[ée]|d[ée]livr[ée])|"
    r"no (pudo|puede) ser entregad|no se ha podido entregar|"
    r"non (è stato|può essere|e' stato) (recapitato|consegnato)|impossibile recapitare|"
    r"kon niet (worden )?(afgeleverd|bezorgd)|"
    r"n[ãa]o (p[ôo]de|pode|foi) (ser )?entregue|"
    r"nie (może|mogła|mogło|mogl[ao]) (zostać )?dostarczon|"
    r"не (может быть|могло быть|было) доставлено|не доставлено|"
    r"配信できませんでした|送信できませんでした|無法傳遞|无法投递|"
    r"kunde inte levereras|kunne ikke (leveres|afleveres)|ei voitu toimittaa|"
    r"nelze doru[čc]it|nemohl[ao]? b[ýy]t doru[čc]en|teslim edilemedi|"
    r"nem siker[üu]lt k[ée]zbes[íi]teni|"
    # The delay warning's own line (Sendmail, Postfix): only a mail system writes it.
    r"you do not need to resend (your|the) message",
)
# A mail system's plain-text report that a message arrived or was passed on (Exchange's
# "successfully relayed to the following recipients"): a success, not a failure.
SUCCESS_BODY = Phrases(
    r"(has been|was) (successfully )?(relayed|delivered) to the following (recipients?|"
    r"destinations?|addresses)|delivery to the following recipients? (was |has been )?"
    r"(succeeded|successful|complete[d]?)\b|your message was delivered to the following\b"
)
# An e-mail address in text or in a header (display names and brackets aside); group 1.
ADDRESS = re.compile(r"<?([A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})>?")
# Italian certified mail (PEC, DPR 68/2005 and its technical rules) names each receipt in an
# X-Ricevuta header; these values say the message was not delivered, or not yet (preavviso:
# soft). Any other value is a receipt that it was accepted or delivered.
PEC_FAILURES = (
    "errore-consegna",
    "preavviso-errore-consegna",
    "non-accettazione",
    "rilevazione-virus",
)
# RFC 3464 per-recipient fields written into a text part instead of a delivery-status part;
# both a recipient line and an action line must be present, in either order.
DSN_FIELDS = (
    Phrases(r"^\s*(final|original)-recipient:\s*(rfc822\s*;)?\s*<?\S+@\S+", re.M),
    Phrases(r"^\s*action:\s*(failed|delayed)\b", re.M),
)
DELAY_WORDS = Phrases(
    r"\bdelay(ed)?\b|will (be )?retr(y|ied)|still trying|has not yet been delivered|"
    r"continue to (attempt|try) (delivery|to deliver)|"
    # Sendmail's warning after hours of retrying: the message is still queued.
    r"warning message only|you do not need to resend|(will )?keep trying until|"
    r"could not send message for (the )?past|still undelivered after|"
    r"not (yet )?been delivered .* retry|verz[öo]gert|retard[ée]e?|retrasad[oa]",
)
# "No reply" as mail systems spell it in an address, in the languages of the patterns here.
_NO_REPLY = (
    r"(no[-_.]?reply|ne[-_.]?pas[-_.]?repondre|ne[-_.]?repondez[-_.]?pas|no[-_.]?responder|"
    r"no[-_.]?contestar|nao[-_.]?responda|nao[-_.]?responder|nicht[-_.]?antworten|"
    r"keine[-_.]?antwort|non[-_.]?rispondere|niet[-_.]?beantwoorden|geen[-_.]?antwoord|"
    r"ikke[-_.]?svar|svara[-_.]?inte|nie[-_.]?odpowiadaj|neodpovidat|neodpovedat)"
)
NOREPLY_SENDER = Phrases(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|notifications?|notify|"
    r"auto(mail|mated|reply|responder)?|system|alerts?|bounce[s]?|mailer|robot|bot|"
    r"newsletters?|fax|scanner|reminders?|receipts?|confirmations?|verify|verification|"
    r"registrations?|monitoring|digest|invitations?|transactions?|shipments?|tracking|"
    r"order-?(updates?|status|confirmations?)|statements?|e-?statements?|"
    # "Notifications" and "statement" as other languages' systems spell them.
    r"notifica\w*|notifik\w*|powiadomieni\w*|benachrichtigung(en)?|vypis\w*)([-_.+][^@]*)?@|"
    # Unix and service accounts that scripts and servers send from; no person writes as them.
    r"^(root|cron|daemon|nobody|www-data|apache|nginx|oracle|postgres|mysql|jenkins|"
    r"wordpress|bugzilla-daemon|anonymous|httpd|wwwrun|"
    # Monitoring programs mailing their alerts.
    r"monit|nagios|icinga|zabbix|alertmanager|munin)@|"
    # Office devices and phone systems that mail what they received: fax, scan, voicemail.
    r"^[^@]*(?<![a-z])(fax|scanner|scan2mail|scantoemail|copier|voicemail|voice-mail)(?![a-z])"
    r"[^@]*@|"
    r"^[^@]*\b" + _NO_REPLY + r"\b[^@]*@",
)
# The envelope sender (Return-Path) of mail nobody may answer. Stricter than NOREPLY_SENDER:
# VERP bounce addresses (bounces+id@...) are how CRMs send a salesperson's one-to-one mail too.
NOREPLY_ENVELOPE = Phrases(
    r"^[^@]*\b(do[-_.]?not[-_.]?reply|dont[-_.]?reply|" + _NO_REPLY + r")\b[^@]*@"
)
# Unix accounts that web servers and scripts run as: mail whose envelope sender is one of them
# was sent by a program on that host, even when From names a person (a web form, a notifier).
SERVICE_ENVELOPE = Phrases(r"^(www-data|apache|nginx|httpd|wwwrun|nobody|anonymous|daemon)@")
# A web site's own sender address, a webmaster's role address (WordPress's is a no-reply sender).
SITE_SENDER = Phrases(r"^(webmaster|website|www)@")
# An address on a machine with no public domain (root@localhost, keith@debian, ...@host.lan):
# mail that a program on that machine sent to its own users, never a reply from outside.
LOCAL_SENDER = Phrases(
    r"@(localhost(\.localdomain)?|[^@.\s]+|[^@\s]+\.(local|localdomain|lan|internal|home\.arpa))$"
)
# A bulk sender's bounce address (VERP): "bounces+123-abc@send.shop.test", "x@bounce.site.test".
# CRMs send salespeople's one-to-one mail this way too, so it is evidence only.
BULK_ENVELOPE = Phrases(r"^bounces?[-+=.][^@]*@|@bounces?\.")
# Within one sentence: any characters but a sentence end or a blank line; a full stop is allowed
# in a date ("bis 30.06. im Urlaub", "until 3. May"). No other subject may come between ("I am
# sure you will be on vacation", "ich glaube, Herr Keller ist im Urlaub").
_OTHER_SUBJECT = (
    r"(?<!\w)(you|he|she|they|we|er|sie|wir|herr|frau|kolleg\w*|il|elle|vous|nous|usted|"
    r"ustedes|él|ella|hij|zij|jij|u|"
    # Another clause's verb: "I am aware that Jim is on vacation".
    r"is|are|was|were)(?!\w)"
)
_SAME_SENTENCE = (
    r"(?:(?!" + _OTHER_SUBJECT + r")(?:[^.!?\n]|\n(?!\s*\n)|\.(?=\s?\d)|(?<=\d)\.)){0,60}?"
)
# An out-of-office note says three things, in any order and wording: I am away (the first
# person, then an absence word later in the same sentence), when I am back, and what happens to
# the mail meanwhile. Someone else's absence ("Frau Keller ist im Urlaub") is not one. Branches
# start with a plain word so re can scan for them (see alternation.py); "(?<!\wich)" after "ich"
# keeps "gleich bin" from reading as "ich bin". Being back ("ich bin gerade aus dem Urlaub
# zurück") is not being away.
_OOO_AWAY = (
    r"i(?<!\wi)( am|'m| will be|'ll be| shall be)"
    + _SAME_SENTENCE
    + r"(out of (the )?office|on (annual |parental |maternity |paternity |sick |study )?leave|"
    r"on (vacation|holiday)|away from (the|my) (office|desk)|taking (some )?(time off|leave))|"
    r"i(?<!\wi)( am|'m) not in the office|"
    # An organisation away; not "our office is closed on Sunday, come Saturday".
    r"our (office|offices|company|team|business) (is|are|will be) (currently (closed|offline)|"
    r"out of (the )?office|offline|closed (until|for the|from|through|over|between))|"
    r"(temporarily )?closed,? until further notice|"
    r"(ich(?<!\wich) (bin|befinde mich)|bin ich|befinde ich mich)"
    + _SAME_SENTENCE
    + r"(urlaub(?<!aus dem urlaub)(?<!aus meinem urlaub)(?<!vom urlaub)|abwesend|"
    r"nicht\sim\s(büro|buero|hause?|office|autohaus|geschäft)|au(ß|ss)er\shaus|"
    r"nicht\sin\s(meinem|unserem|unserer|der|dem)\s(büro|agentur|firma|kanzlei|praxis|filiale|"
    r"autohaus|geschäft|schule|redaktion)|auf\s(dienst)?reise|in\selternzeit)\b|"
    r"ich(?<!\wich) (habe|hab)" + _SAME_SENTENCE + r"urlaub\b(?<!aus dem urlaub)|"
    r"je(?<!\wje) (suis|serai)"
    + _SAME_SENTENCE
    + r"(absente?|en\s(congés?|vacances|déplacement)|hors\sdu\sbureau|pas\sau\sbureau)\b|"
    r"(estoy|estaré|estare|me encuentro)"
    + _SAME_SENTENCE
    + r"(de\svacaciones|fuera\sde\s(la\s)?oficina|ausente|de\sbaja|de\sviaje)\b|"
    r"no estar[ée] disponible" + _SAME_SENTENCE + r"vacaciones|"
    r"(sono|sarò|saro)"
    + _SAME_SENTENCE
    + r"(in\sferie|fuori\s(ufficio|sede)|assente|in\svacanza|in\scongedo)\b|"
    r"ik(?<!\wik) ben"
    + _SAME_SENTENCE
    + r"(afwezig|niet\s(aanwezig|op\skantoor)|met\s(vakantie|verlof)|op\svakantie)\b|"
    # Dutch puts the verb last in a clause: "omdat ik tot maandag op vakantie ben".
    r"ik(?<!\wik) " + _SAME_SENTENCE + r"(met|op) (vakantie|verlof) ben\b|"
    r"je ne suis pas au bureau|no estoy en la oficina|non sono in ufficio|"
    r"n[ãa]o estou no escrit[óo]rio|"
    r"(estou|estarei)"
    + _SAME_SENTENCE
    + r"(de\sf[ée]rias|ausente|fora\sdo\sescrit[óo]rio|de\slicen[çc]a)\b"
)
_OOO_BACK = (
    r"i(?<!\wi)( will| shall|'ll) (be back|return) (in|to|at) (the|my) (office|desk)|"
    r"(respond|reply|answer)[^.\n]{0,40} (when|once|as soon as|after) "
    r"i(?<!\wi) (return|am back|'m back)\b|"
    r"i(?<!\wi)( will| shall|'ll)? return on\b|"
    r"fuori ufficio:|rientro (in ufficio )?il\b|"
    r"sie erreichen mich wieder|wieder für sie (da|erreichbar)|"
    r"ab\s" + _SAME_SENTENCE + r"wieder\s(im\sbüro|erreichbar)|"
    r"(ich(?<!\wich) bin|bin ich)" + _SAME_SENTENCE + r"wieder\s(im\sbüro|erreichbar|im\shaus)\b|"
    r"je serai de retour|je (vous )?répondrai" + _SAME_SENTENCE + r"(dès|à) mon retour|"
    r"(responderé|contestaré)" + _SAME_SENTENCE + r"(a mi regreso|cuando regrese|"
    r"tan pronto como (regrese|vuelva))|(regresaré|me reincorporaré) (a la oficina )?el\b|"
    r"(rientrerò|rientrero|sarò di ritorno|saro di ritorno|tornerò in ufficio)|"
    r"(ben ik|ik ben) (weer|terug) (bereikbaar|aanwezig|op kantoor|beschikbaar)|"
    r"(regressarei|retornarei|estarei de volta)"
)
_OOO_MAIL = (
    r"(e-?mail|message|mail)s? (won't|will not) be (read|forwarded)|"
    r"(will not|won't|shall not) be (reading|checking|monitoring) (my )?e-?mails?|"
    r"limited (e-?mail|internet) (access|availability)|"
    r"(e-?mails?|mails?|nachrichten|nachricht)\s(wird|werden)"
    + _SAME_SENTENCE
    + r"(nicht|weder)"
    + _SAME_SENTENCE
    + r"(gelesen|weitergeleitet)|"
    r"weiterleitung (findet nicht statt|erfolgt nicht)|"
    r"lese (ich )?keine (e-?mails?|mails|nachrichten)|"
    r"auf keine (e-?mails?|mails|nachrichten) (antworten|reagieren)|"
    r"votre (message|mail|courriel|e-mail) ne sera (pas|ni) (lu|transféré)|"
    r"(su|tu) (correo|mensaje) no ser[áa] (leído|reenviado)|sin acceso a (mi )?(correo|e-?mail)|"
    r"(la sua|la tua|il suo|il tuo) (e-?mail|mail|messaggio) non sar[àa] (lett|inoltrat)|"
    r"uw (e-?mail|bericht|mail) wordt niet (gelezen|doorgestuurd)"
)
OOO_BODY = Phrases(
    _OOO_AWAY + "|" + _OOO_BACK + "|" + _OOO_MAIL + "|"
    # Short forms the three parts above do not cover (they cover "I am currently on leave",
    # "ich bin derzeit abwesend", "je suis absent", "sono in ferie" ...).
    r"(i am|i'm|i will be) (currently )?(away|travell?ing)|out of (the )?office (until|from|"
    r"through)|limited access to (my )?e-?mail|"
    r"will (respond|reply|get back to you) (to your (message|e-?mail) )?"
    r"(upon|when|after) my return|"
    r"bin (ab dem|vom|bis zum|derzeit|zurzeit|momentan|ab) .{0,40}"
    r"(nicht im b[üu]ro|abwesend|im urlaub|nicht erreichbar)|"
    r"de retour le|estar[ée] fuera|estoy fuera|sar[òo] (fuori|assente)|"
    r"jag [äa]r (ledig|p[åa] semester|tj[äa]nstledig|borta|inte p[åa] kontoret)|"
    r"jeg er (p[åa] ferie|frav[æa]rende|ikke p[åa] kontoret)|"
    r"jestem (na urlopie|nieobecn|poza biurem)|я (нахожусь )?(в отпуске|отсутствую)|"
    r"不在にしております|"
    # Chinese, Japanese and Korean notes: on holiday, away on a business trip, out of the office.
    r"休假中|正在休假|假期结束后|出差期间|正在出差|不在办公室|休暇中|出張中|不在にして|휴가\s?중|부재\s?중|"
    r"(休暇|出張|外出|不在)(中)?のため|まで不在|不在(です|となります|となっております)|"
    r"출장\s?(중|으로)|"
    # More European, Middle Eastern and Asian languages: "I am on leave / on holiday / away".
    r"jsem (na dovolen[éeá]|mimo kancel[áa][řr]|nep[řr][íi]tomn)|jeg holder ferie|"
    r"olen (lomalla|poissa toimistolta)|(izindeyim|tatildeyim|ofis d[ıi][şs][ıi]nday[ıi]m)|"
    r"szabads[áa]gon vagyok|h[áa]zon k[íi]v[üu]l vagyok|"
    r"(βρίσκομαι|είμαι) (σε άδεια|εκτός γραφείου)|אני (בחופשה|מחוץ למשרד)|"
    r"(أنا|انا) (في إجازة|في اجازة|خارج المكتب)|đang (đi )?(nghỉ phép|công tác)|"
    r"sedang (cuti|(berada )?di luar kantor|tidak berada di kantor)|"
    r"я (у|в) (відпустці|відрядженні)|я в командировке|sunt (în|in) concediu|"
    r"(sporadic|intermittent) access to (my )?e-?mail|"
    # A mailbox left behind, no longer read. (Not "I am no longer with the company": a former
    # employee writing a letter says so too.)
    r"(this|my) (e-?mail )?(mailbox|e-?mail address|address|account|inbox) is no longer "
    r"(in use|active|monitored|being monitored|checked|being checked|read)\b",
)
# A password reset sent by a site: nobody types these to one person.
_RESET = (
    r"(a )?password (reset|change)( request)? (has been|was) (requested|made|received|initiated)|"
    r"if you did(n't| not) (request|make|initiate|ask for) (this|that|the|a|these) "
    r"(password|reset|change|request|e-?mail|action(s|\(s\))?)|"
    r"if you did(n't| not) (ask|want) to (reset|change) your password|"
    r"if you did(n't| not) (request|ask for|make) (this|it)\b[^.\n]{0,20}?(ignore|disregard)|"
    r"request(ed)? (a link )?to (change|reset) your password|"
    r"request(ed)? that we reset your\b[^.\n]{0,30}?password|"
    r"(create|choose|set) a new password|one-time (login|log-in|sign-?in) link|"
    r"this is a one-time (login|log-in|sign-?in)"
)
# A shop or carrier announcing a parcel (not a car: "your RAV4 was delivered to us").
_PARCEL = (
    r"your (package|parcel|shipment|order|item)s?\b[^.!?\n]{0,40}? (has|have|was|were|is|are) "
    r"(been )?(successfully )?(shipped|delivered|dispatched|out for delivery)|"
    r"track (your|the) (package|parcel|shipment)s?\b|"
    r"ihr (paket|päckchen|sendung)[^.!?\n]{0,40}? (wurde|ist) (erfolgreich )?(versandt|verschickt|"
    r"zugestellt)|ihre bestellung (wurde|ist) (versandt|verschickt|zugestellt)|"
    r"votre (colis|commande) (a été|est) (expédi|livr)|"
    r"(tu|su) (paquete|pedido) (ha sido|fue) (enviado|entregado)"
)
# Which of the automatic and acknowledgement phrases are a service's notices, not replies.
SERVICE_NOTICE = Phrases(_RESET + "|" + _PARCEL)
AUTO_BODY = Phrases(
    r"this (is an? )?(automated|automatic|auto-generated|computer generated)|"
    r"this is an? [\w -]{0,30}?(generated|sent|created) automatically|"
    r"(automated|automatic|auto-generated) (message|e-?mail|response|reply|notification)|"
    r"(this|the) (warning|message|e-?mail|mail|notice|notification|alert|reminder) (is|was|has "
    r"been) ((sent|generated|created) automatically|automatically (sent|generated|created))|"
    # "Do not reply to this e-mail" / "Please do not reply." — not "don't reply to the survey".
    r"(please )?(do not|don't) (reply|respond)( directly)?( to (this|the sender)\b|"
    r"\s*([.!:,\n-]|$))|"
    r"this (e-?mail|mailbox|address|account|inbox)( address)? is not (monitored|attended)|"
    r"unmonitored (mailbox|address|account|inbox)|"
    # "Mail sent to this address cannot be answered", "Replies to this message are not read".
    r"(e-?mails?|mail|messages?|replies|responses) (sent )?to this (e-?mail |mail )?"
    r"(address|mailbox|message|e-?mail|account) (cannot|can ?not|will not|won't|are not|is not|"
    r"do not|does not) (be )?(answered|read|monitored|received|responded to|replied to|"
    r"reach (us|anyone|a person))|"
    r"this (is a )?(send|outgoing)[- ]only (e-?mail )?(address|mailbox|account)|"
    r"this (e-?mail )?(address|mailbox) (cannot|can ?not|does not|will not) (accept|receive) "
    r"(replies|incoming|e-?mail|mail|messages)|"
    r"(diese|dies ist eine) (e-mail|nachricht) wurde automatisch|automatisch (erstellt|generiert)|"
    r"bitte antworten sie nicht|ceci est un (message|e-mail|courriel) automatique|"
    r"merci de ne pas r[ée]pondre|ne pas r[ée]pondre|"
    r"(este es un|este) (mensaje|correo) (es )?autom[áa]tico|no responda a este|"
    r"messaggio (generato )?automatico|non rispondere|"
    r"dit is een automatisch|niet beantwoorden|"
    r"(dette|detta) (er|är) (en|ett) automatisk|svara inte p[åa]|svar ikke p[åa]|"
    r"to jest (automatyczn|wiadomo[śs][ćc] automatyczn)|nie odpowiadaj|"
    r"(generovan[ýáé]|vygenerovan[ýáé]|odeslan[ýáé]|zaslan[ýáé]) automaticky|"
    r"automaticky (generovan|vygenerovan|odeslan|zaslan)|neodpov[íi]dejte|neodpovedajte|"
    + _RESET
    + "|"
    r"это (автоматическое|автоматически) |не отвечайте на|"
    r"このメールは(自動|送信専用)|送信専用|请勿回复|請勿回覆|此邮件为系统自动|"
    r"本メールは(自動|送信専用)|返信はお受けして(い|お)りません|발신\s?전용|"
    r"自动回复|自動回覆|自動回复|自动答复|自動返信|自動応答|자동\s?(응답|회신|답장)|"
    # A secure-mail gateway's notice in place of the message itself.
    r"an? (encrypted|secure) (message|e-?mail) is waiting|"
    r"(would like to|wants to) send you an? (encrypted|secure) (message|e-?mail)|"
    r"m[öo]chte ihnen eine verschl[üu]sselte nachricht|"
    r"sie haben eine (neue )?verschl[üu]sselte nachricht erhalten",
)
ACK_BODY = Phrases(
    r"(we|i) ('ve|have) received your (inquiry|enquiry|request|message|e-?mail|lead|"
    r"suggestion|feedback|application)|"
    # "We received your message": the organisation speaking ("I received" is left to a person).
    r"we received your (inquiry|enquiry|request|message|e-?mail|submission)|"
    r"we ('ve |have )?(opened|created|logged|raised) (a )?(support |new )?(ticket|case)\b|"
    r"(ticket|case) (number |no\.? |#)?\w*\d+ (has been|was|is) (opened|created|logged)|"
    r"a (human|real person|team member) will (reply|respond|get back|answer)|"
    r"(we|our team) will review your submission|"
    r"forwarded (your (inquiry|enquiry|request|message) )?to the (appropriate|right|relevant|"
    r"responsible) (department|person|team)|"
    # "This is to confirm that we ...", "We confirm receipt": the sentence's own verb, not a
    # report of someone else's ("Settlements is confirming that we have it right").
    r"(this is to |we |just )confirm(ing)? (that )?(we|receipt)( have received)?|"
    r"confirm(?<![a-z,;] confirm)(?<![a-z]confirm)(ing)? (that )?(we|receipt)( have received)?|"
    r"your (inquiry|enquiry|request|message|e-?mail)( to \S+@\S+)? (has been|was) received|"
    r"we('ve| have) got your (message|e-?mail|request|inquiry|enquiry) and (will|we'll|are)\b|"
    # A mailbox's standing notice about its own load and hours.
    r"(we are|we're) (currently )?(experiencing|receiving) (an? )?(high|higher than (normal|usual)|"
    r"large|unusually (high|large)) (volume|number)s? of (e-?mails?|messages|requests|enquiries|"
    r"inquiries|tickets|support requests)\b|"
    r"(i'm|i am|we're|we are) (currently )?(receiving|getting) (a lot of|lots of|a high volume of|"
    r"an unusually (high|large) (volume|number) of) (e-?mails?|mails?|messages|requests|"
    r"enquiries|inquiries)\b|"
    r"we will (respond|reply) to (your|all) (e-?mails?|messages?|enquir(y|ies)|inquir(y|ies)|"
    r"requests?) (during|within|in the order|in turn|as soon as)\b|"
    # A help desk telling the sender how to add to the ticket it opened.
    r"(add (comments|information|details) to|update) (this|your) (request|ticket|case) by "
    r"replying\b|"
    r"(a|one of our|our) (representative|sales (consultant|professional|associate|"
    r"representative|team|specialist)|team member|member of our( sales)? team|product specialist|"
    r"internet (sales )?(manager|consultant|specialist)) will (be in touch|contact you|"
    r"get back to you|reach out|respond)|will (contact|get back to) you (shortly|soon|as soon as)|"
    r"we'll (contact|get back to|respond to|reply to) you (shortly|soon|"
    r"as soon as (possible|we can|we are able))|"
    r"(it|this|your (e-?mail|message)) has been received and will be (dealt with|answered)|"
    # A promised reply time; "ready within 2 days" is a salesperson's answer, not a promise.
    r"(respond|reply|replies|answer|get back to you|contact you|be in touch|hear from us)"
    r"[^.\n]{0,30}"
    r"within (the next )?\d+ (business |working )?(hours|minutes|days)|"
    r"wird sich .{0,40}bei ihnen melden|"
    r"wir haben ihre (anfrage|nachricht) erhalten|wir (melden uns|werden uns) .{0,40}(bei ihnen)|"
    r"nous avons (bien )?re[çc]u votre|"
    r"votre (message|demande|courriel|e-?mail|mail) a (bien )?[ée]t[ée] (re[çc]u|enregistr[ée])|"
    r"(un|l'un de nos) (conseiller|commercial)s? (vous|va vous) (contacter|recontacter)|"
    r"hemos recibido (su|tu)|te (responderemos|contestaremos)|"
    r"(su|tu) (mensaje|correo|solicitud|consulta) (ha sido|fue) recibid|"
    r"hemos (derivado|remitido|trasladado) su (solicitud|consulta|mensaje)|"
    r"(a la persona|al departamento|al [áa]rea) (correspondiente|adecuad[oa]|responsable)|"
    r"an die zust[äa]ndige (abteilung|person|stelle|kollegin|kollegen) weitergeleitet|"
    r"ihre (anfrage|nachricht|e-?mail|mail) ist (bei uns )?(eingegangen|angekommen)|"
    r"uw (aanvraag|bericht|e-?mail|vraag) is (in goede orde )?ontvangen|"
    r"(doorgestuurd|doorgezet) (naar|aan) de (betreffende|juiste|desbetreffende) "
    r"(afdeling|persoon|collega)|"
    r"u (zult|krijgt|ontvangt) (zo spoedig mogelijk|zo snel mogelijk|binnenkort) (een )?"
    r"(antwoord|reactie)|"
    r"(un asesor|nos pondremos en contacto)|abbiamo ricevuto la sua|"
    r"(we|wij) hebben (uw|je|jouw) (aanvraag|bericht|e-?mail|mail|vraag) (in goede orde )?"
    r"ontvangen|"
    r"мы свяжемся с вами|(e-?postanız|mesajınız|talebiniz)[^.\n]{0,20}(ulaşmıştır|alınmıştır)|"
    r"担当者(より|から)[^。\n]{0,10}(ご連絡|ご返信|回答|返信)|담당자가[^.\n]{0,10}(연락|답변|회신)|"
    # Transactional acknowledgements: a sign-up, an order or a booking confirmed by the system.
    # (Not bookings: a salesperson confirms a test drive in the same words.)
    r"thank(s| you) for (registering|signing up|subscribing|joining|your (order|purchase|"
    r"registration|subscription|payment))|"
    r"(please )?(confirm|verify) your (e-?mail( address)?|account|registration|subscription)|"
    r"your (order|registration|subscription|account|payment) (has been|is|"
    r"was) (successfully )?(confirmed|received|created|activated|registered|processed|approved|"
    r"placed|completed)|" + _PARCEL + "|"
    r"(vielen )?dank f[üu]r ihre (bestellung|registrierung|anmeldung)|"
    r"ihre (bestellung|registrierung|anmeldung) (ist|wurde) (erfolgreich )?"
    r"(eingegangen|best[äa]tigt|abgeschlossen|aufgenommen)|"
    r"merci pour votre (commande|inscription)|"
    r"votre (commande|inscription) (a (bien )?[ée]t[ée] |est (bien )?)(confirm[ée]e|"
    r"enregistr[ée]e|re[çc]ue|valid[ée]e)|"
    r"gracias por (tu|su) (compra|pedido|registro)|"
    r"(tu|su) (pedido|registro) (ha sido|fue) (confirmad|recibid|registrad)|"
    # "Thank you for your order / purchase / registration" in the other European languages a
    # shop or a portal writes in.
    r"grazie per (il tuo |il suo |la tua |la sua |l')?(ordine|acquisto|registrazione|"
    r"iscrizione)|"
    r"obrigad[oa] pel[ao] (sua |seu )?(compra|pedido|encomenda|registo|registro|inscri[çc][ãa]o)|"
    r"bedankt voor (je|jouw|uw) (bestelling|aankoop|registratie|aanmelding)|"
    r"dziękujemy za (twoje |pana |pani )?(zamówienie|zakup|rejestrację)|"
    r"děkujeme (vám )?za (váš |vaši |vaše )?(nákup|objednávku|registraci)|"
    r"ďakujeme (vám )?za (váš |vašu )?(nákup|objednávku|registráciu)|"
    r"tack för (din|ditt|er) (beställning|order|köp|registrering)|"
    r"takk? for (din|jeres|deres) (ordre|bestilling|køb|kjøp|registrering)|"
    r"kiitos (tilauksestasi|ostoksestasi|rekisteröitymisestäsi)|"
    r"(спасибо|благодарим( вас)?) за (ваш |вашу )?(заказ|покупку|регистрацию)|"
    r"siparişiniz için teşekkür|köszönjük (a )?(rendelését|vásárlását)|"
    # Chinese "your mail is received" (either order) and "I will reply as soon as I can";
    # Japanese and Korean "your mail / inquiry was received".
    r"(邮件|郵件|来信|來信|信件|电邮|電郵)[^。！？!?\n]{0,8}(收到|收悉)|"
    # "I have received your mail", not "everyone will receive the mail": the receipt is done
    # (已, 了) or the mail is the reader's (您的).
    r"((已|已经|已經|我|我们|我們)收到(了)?|收到了|收到(?=您|你))(您|你|您们)?(的|发的|發的|发送的|"
    r"發送的)?[^。！？!?\n]{0,4}(邮件|郵件|来信|來信|信件)|信(?<!相信)已(经|經)?收(到|悉)|"
    r"尽快[^。！？!?\n]{0,6}(回复|答复)|儘快[^。！？!?\n]{0,6}(回覆|答覆)|"
    r"\d+\s?(小时|小時|个工作日|個工作日)内?[^。！？!?\n]{0,6}(回复|答复|回覆)|"
    r"メールを(受信|拝受|受け取)|お問い合わせを(受け付け|承り)|"
    r"(메일|문의)[^.!?\n]{0,6}(받았습니다|접수되었습니다|수신되었습니다)|" + _RECEIVED_YOURS,
)
# The thank-you that opens autoresponders and salespeople's replies alike. It decides only when
# the writer shows no sign of having read the inquiry (see rules.thanks_opener).
THANKS_OPENER = Phrases(
    r"thank(s| you) for (your )?(inquiry|enquiry|interest|contacting|reaching out|your request)|"
    r"vielen dank f[üu]r ihre? (anfrage|nachricht|e-mail|interesse)|"
    r"merci (pour|de) votre (demande|message|int[ée]r[êe]t)|"
    r"gracias por (su|tu) (consulta|solicitud|inter[ée]s|mensaje)|"
    r"grazie per (la sua|la tua|il suo|il tuo) (richiesta|messaggio|interesse)|"
    r"obrigad[oa] (pelo (seu )?(contato|contacto|interesse)|"
    r"pela (sua )?(mensagem|solicita[çc][ãa]o))|"
    r"bedankt voor uw (aanvraag|interesse|bericht)|"
    r"感谢(您|你)的来信|感谢来信|謝謝(您|你)的來信|感謝(您|你)的來信|お問い合わせいただき(ありがとう|誠に)|"
    r"お問い合わせ(いただき)?ありがとうございます|문의(해)?\s?주셔서 감사|"
    r"спасибо за (ваше )?обращение"
)
# The writer speaks for themself ("I", "ich", "je") ...
FIRST_PERSON = Phrases(
    r"(?<![\w'])(i|i'm|i'd|i'll|i've|me|my|ich|mich|mir|je|j'|moi|yo|mi|puedo|tengo|estoy|"
    r"preparo|io|posso|sono|ho|eu|estou|tenho|ik|mij)(?![\w])|"
    # Chinese, Japanese, Korean "I" (not "we": 我们, 私たち, as "we" is not first person above).
    r"我(?![们們])|私(?!たち|ども|共)|저는|제가"
)
# ... and asks the buyer something: a question of at least three words ("Can you send the
# VIN?", "Want me to hold it?", "¿Cuánto quiere dar de entrada?"), not "Questions? Call us".
QUESTION_TO_BUYER = Phrases(
    r"\w+[ ,'’-]+\w+[ ,'’-]+\w+[^.?!]{0,100}\?|"
    r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af][^。？！?!\n]{3,100}[？?]"
)
# A read or delivery receipt in plain text, as Outlook and Lotus Notes write one when no
# disposition-notification report is used: the subject names the receipt, and the body opens by
# naming the message and saying when it was read, deleted unread, delivered or received.
RECEIPT_SUBJECT = Phrases(
    r"^\s*(read|not read|delivered|return receipt|gelesen|ungelesen|nicht gelesen|zugestellt|"
    r"lu|non lu|remis|le[íi]do|no le[íi]do|entregado|letto|non letto|consegnato)\s*(:|$)"
)
# Lotus Notes' return receipt, whatever its subject: its heading, then "Your document: ... was
# received by: ... at: ...", the labels sometimes set in a column of their own.
NOTES_RECEIPT = Phrases(
    r"^\s*return receipt\s+your\b[\s\S]{0,200}?\bdocument\s*:[\s\S]{0,200}?\bwas received\b"
)
RECEIPT_BODY = Phrases(
    r"^\s*your message\b[^\n]*\n(\s*[\w-]+ ?:[^\n]*\n){0,6}\s*was (read|deleted without being "
    r"read|delivered to the following)\b|"
    r"^\s*your document\s*:[^\n]*\n\s*was (received|read|delivered) (by|to)\s*:|"
    r"^\s*ihre nachricht\b[^\n]*\n(\s*[\w-]+ ?:[^\n]*\n){0,6}\s*wurde am\b[^\n]{0,40}"
    r"(gelesen|zugestellt|ungelesen gel[öo]scht)|"
    r"^\s*votre message\b[^\n]*\n(\s*[\w-]+ ?:[^\n]*\n){0,6}\s*a [ée]t[ée] (lu|remis|supprim[ée])\b"
)
# "MUI Access Notification", "web1 - Backup Notification", "OSSEC Notification - host": a
# system naming its notice (not a reply's "Re: ...", not "Notification of my leave"). A person
# may title a memo so too, so it decides only when nobody speaks in the text.
NOTICE_SUBJECT = Phrases(
    r"^\s*(\[[^\]]*\]\s*)?(?!(re|aw|fw|fwd|wg|tr|sv|vs)\s*:)[^:\n]{0,40}\bnotification"
    r"(\s*$|\s+-\s|\s+at\s+\d)"
)
# A calendar's answer to a meeting request ("Accepted: Q3 review"): the organizer's calendar
# files it; with nothing typed into it, nobody wrote it.
CALENDAR_REPLY_SUBJECT = Phrases(
    r"^\s*(accepted|declined|tentative|tentatively accepted|zugesagt|abgesagt|mit vorbehalt|"
    r"accept[ée]|refus[ée]|provisoire|aceptado|rechazado|provisional)\s*:"
)
# The line a calendar writes into its answer ("Dana Fox has accepted this meeting.").
CALENDAR_REPLY_LINE = re.compile(
    r"^[^\n]{0,80}\bhas (accepted|declined|tentatively accepted) (this|your) (meeting|invitation)"
    r"[^\n]*$",
    re.M | re.I,
)
# A transaction's own title, not a reply's ("Dell Order Confirmation", "Your acme.com Order
# (Order# 1234)", "Receipt for your payment"): the sums in it are the order's data.
TRANSACTION_SUBJECT = Phrases(
    r"^\s*(\[[^\]]*\]\s*)?(?!(re|aw|fw|fwd|wg|tr|sv|vs)\s*:)[^\n]{0,60}?\b("
    r"(order|purchase|booking|reservation|registration|enrol?lment|subscription|payment|"
    r"shipment|class|course) (confirmation|receipt|acknowledge?ment|summary)|"
    r"confirmation (of|for) (your )?(order|purchase|booking|reservation|registration|payment)|"
    r"your [\w.-]+( [\w.-]+)? (order|purchase|receipt|invoice)\b|"
    r"(order|invoice|receipt) ?(#|no\.|number) ?:? ?[a-z]{0,3}\d|receipt for your\b)"
)
# Lead and ticket notifications from web forms, marketplaces and help desks: the subject names
# an event ("has a lead for you", "New inquiry from ...") rather than answering anyone.
NOTIFICATION_SUBJECT = Phrases(
    r"has (a )?(new )?(lead|inquiry|enquiry|message|request)s? for you|"
    r"^\s*(\[[^\]]*\]\s*)?(fwd?:\s*)?new (web |internet |sales |form )?(lead|inquiry|enquiry|"
    r"submission|form submission|contact (form )?(request|submission))\b|"
    r"you have (a|\d+) new (lead|inquiry|enquiry|message|request)s?|"
    r"new message (from|via|on) .{1,60} (via|on|through) |"
    r"neue (anfrage|nachricht|kontaktanfrage|lead)\b|nouvelle (demande|prospect|requ[êe]te)\b|"
    r"nueva (consulta|solicitud|oportunidad)\b|"
    # "TRV Notification: report ready", "System notification: ..." (not "Re: ... notification:").
    r"^\s*(\[[^\]]*\]\s*)?[^:\n]{0,40}\bnotification\s*:|"
    # DMARC aggregate and SMTP TLS reports (RFC 7489 7.2.1.1, RFC 8460 5.3): a receiver's report
    # to a domain's owner.
    r"\breport domain:\s*\S+\s+submitter:|\bdmarc aggregate report\b|"
    # A shop's or carrier's parcel news and a site's account mail, as the whole subject says it.
    r"^\s*(shipped|delivered|out for delivery|arriving (today|tomorrow))\s*:|"
    r"^[^:\n]{0,60}\b(package|parcel|shipment|order)\b[^:\n]{0,60}\b(has been|was|is|has) "
    r"(successfully )?(delivered|shipped|dispatched)\b|"
    r"^\s*order [^\n:]{0,40}:\s*(order )?(shipped|delivered|dispatched|confirmed)\b|"
    r"^\s*(\[[^\]]*\]\s*)?(please )?(password reset|reset your( \w+)? password|"
    r"verify your (e-?mail|account)|"
    r"confirm your (e-?mail( address)?|account|registration))\b|"
    # A secure-mail gateway holding a message back until the reader collects it.
    r"(encrypted|secure|protected) (mail|message|e-?mail) (notification|waiting|received)|"
    r"verschl[üu]sselte (nachricht|e-?mail)|message (s[ée]curis[ée]|chiffr[ée])|"
    # A help desk announcing what happened to a ticket ("Ticket #123 has been assigned to ...").
    r"\b(ticket|case|incident)\b.{0,40}\b(has been|was) (created|opened|assigned|updated|"
    r"escalated|resolved|closed)\b|"
    # A calendar telling attendees what changed ("Appointment changed: Team meeting").
    r"^\s*(appointment|event|meeting) (changed|updated|cancell?ed|deleted|declined|accepted)\s*:|"
    # Unix programs mailing their output: at, cron, anacron, logwatch, sudo.
    r"^\s*(output from your job\b|cron <[^>\n]+>|anacron job\b|logwatch for\b)|"
    r"\*\*\* security information for\b",
)
# Wording of machine notifications. Evidence only: a salesperson answering through a help desk
# or CRM gets the same footer under a reply they wrote themselves. A bare "unsubscribe" link is
# left out on purpose: CRMs add one to one-to-one sales mail too.
NOTIFICATION_BODY = Phrases(
    r"view (it|this (e-?mail|message)|the (full )?message) (online|in (your|a|the) browser)|"
    # "If this e-mail does not display correctly, click here": a designed template's first line.
    r"if (this (e-?mail|message) (does not|doesn't) display|you (can't|cannot|are unable to) "
    r"(see|view|read) this (e-?mail|message))|"
    r"wenn diese (e-?mail|mail|nachricht) nicht (richtig|korrekt) (dargestellt|angezeigt)|"
    r"si (ce|le) (message|mail|courriel|e-mail) ne s'affiche pas|"
    r"si no (puede|puedes) (ver|visualizar) (este|el|correctamente)|"
    r"als deze (e-?mail|nieuwsbrief) niet (goed|juist) wordt weergegeven|"
    r"you('re| are) receiving this (e-?mail|email|message|mail|notification)|"
    r"you (will )?receive this (e-?mail|message|mail|notification) (each|every) time|"
    r"you('re| are) (receiving|getting) this because|"
    r"you (receive|get|have received|received) this (e-?mail|message|mail|notification) "
    r"(either )?(because|as)\b|"
    r"(manage|update|change) (your )?(e-?mail |notification )(preferences|settings)|"
    r"manage (your )?(subscription )?preferences|"
    r"(change|update|choose) how (you receive|often you get) (these|our) (e-?mails|messages|"
    r"notifications)|"
    r"add [^\n]{1,60} to your address book|(deinem|ihrem) adress(en)?buch hinzu|"
    r"(e-?mail|benachrichtigungs)[- ]?einstellungen|"
    r"this (e-?mail|message|notification) was (sent|generated) (to|by|automatically|from)|"
    # A booking confirmed: a reservation system's words, and a salesperson's too, so evidence.
    r"thank(s| you) for your (booking|reservation)|"
    r"your (booking|reservation) (has been|is|was) (successfully )?(confirmed|received|made|"
    r"cancell?ed)|(we are|we're) (pleased|delighted|happy) to confirm your (reservation|booking|"
    r"order|registration|enrol?lment)|we have cancell?ed the following (reservation|booking|order)|"
    # A service thanking a customer for what its own system just recorded.
    r"thank(s| you) for (renewing|updating|registering|subscribing|signing up|enrol?ling|"
    r"your (generous )?(subscription|registration|renewal|contribution|donation|gift|payment))\b|"
    # A receipt saying what it is: "This letter serves as your receipt".
    r"(this|the) (letter|e-?mail|message|notice|acknowledge?ment) (serves as|is) your (official )?"
    r"(tax )?(receipt|confirmation)\b|no goods or services were (provided|received|given)|"
    # A report's own time stamp: "Email generated: 10/11/2020 00:04", "Report generated on ...".
    r"(e-?mail|report|message|notification) generated( on| at)?\s*:?\s*\d|"
    r"has been (assigned|escalated) to you|a new (conversation|ticket|case|request|lead)\b|"
    # A workflow handing the reader a request to act on ("You have received a new IS&S
    # request ... click the Approve button").
    r"you have (received )?a new ([\w&.-]+ ){1,2}(request|ticket|case|application|"
    r"submission)\b|click (on )?the (approve|reject|accept|decline) button|"
    # A registrar's notice of a place on a course or its waiting list.
    r"you (are|have been) (now )?(enrol?led|registered|scheduled|booked) (in|for|on) the "
    r"following|"
    # A workflow asking the reader for their part on someone else's behalf.
    r"(has|have) requested (that you (provide|complete|submit|give)|your) ([\w-]+ ){0,2}"
    r"(feedback|approval|review|evaluation|input)\b|"
    r"you are (now )?on the wait(ing)?[- ]?list\b|"
    # A web service thanking the reader by its own name ("Thank you for using Acme.com!").
    r"thank(s| you) for using [\w-]+\.[a-z]{2,6}\b|"
    # A system reading its database back to the reader; an event's change list.
    r"(our records|our (database|system)|the [\w -]{1,30} (database|system)) (indicates?|shows?) "
    r"that you|our records (list|show) your\b|"
    r"we have not (yet )?received your (feedback|response|reply|input|survey)|"
    r"has (changed|updated|cancell?ed) (an|the) "
    r"(event|appointment)\b|"
    r"(ticket|case|request|incident) (number|no\.?|nr\.?|n°|id|#)\s*:?\s*#?[a-z]{0,4}\d{3,}|"
    # A help desk's survey after closing a case.
    r"satisfied with the (service|support|help) you (received|got)|"
    r"(complete|fill (out|in)|take) (the|our|a|this)\s+([\w-]+\s+){0,3}survey\b|"
    # A link the reader is told to paste: a template's words for a machine-made link.
    r"cop(y|ying) and past(e|ing) (it|this|the)\b[^\n]{0,30}\b(browser|address bar)|"
    r"(lead|inquiry|enquiry) (details|information|source)\s*:|"
    r"sie erhalten diese (e-mail|nachricht)|vous recevez ce (message|courriel|mail)|"
    r"(recibes|recibe|has recibido|ha recibido) este (correo|mensaje|e-?mail)|"
    r"(ricevi|riceve|hai ricevuto|ha ricevuto) questa (e-?mail|mail|comunicazione|notifica)|"
    r"(u ontvangt|je ontvangt|jij ontvangt) deze (e-?mail|mail|notificatie|melding)|"
    r"(você está recebendo|você recebeu|recebeu) (este|esta) (e-?mail|mensagem)|"
    r"otrzymujesz (tę|tą|ten) (wiadomość|e-?mail)|"
    r"вы (получили|получаете) (это|данное) (письмо|сообщение|уведомление)|"
    # Links and footers of designed transactional mail.
    r"click (here|on the link|the link|the button|on the button)( below)? to |"
    # A link the reader must follow, as a site's template introduces it.
    r"(click|follow) (on )?(this|the) link( below| above)?\s*[:(]|"
    r"click (on )?the following\b|(use|visit|follow) (one of )?the (personali[sz]ed |following )"
    r"links?\b|(cut|copy) and paste (the|this) (link|url|address)\b|"
    # A greeting-card or photo-sharing site's notice that a friend sent something.
    r"has (just )?sent you an? ([\w-]+ )?(e-?card|greeting card|virtual (post)?card|card from)|"
    r"you('ve| have) been invited to (view|join)\b|wants to share (these|some|his|her) "
    r"(photos|pictures)|pick ?up your (card|personal message|e-?card)\b|"
    r"(click|visit|follow|open|go to) (on )?the following\s+(web\s+)?(link|url|address|page)s?\b|"
    # A system pointing at its own record: "view the details of the request by clicking".
    r"(view|see|check) the (details|status) of (the|your|this)\s+([\w-]+\s+){0,2}(request|order|"
    r"ticket|case|application|claim)\s+(by clicking|by visiting|online|here|at)\b|"
    # A statement or bill a service has ready: "your current Acme statement is ready".
    r"your\s+([\w&.-]+\s+){0,5}(statement|e-?bill|bill|invoice|pay (advice|stub|slip)|payslip)s?"
    r"\s+(is|are)\s+(now\s+)?"
    r"(ready|available|online)\b|"
    r"(log|sign) in to your (account|dashboard|profile)|"
    # A workflow system asking for, or reporting, a decision on a request it holds.
    r"(ready|awaiting|waiting|pending) (for )?your (approval|review|action)|"
    r"(requires?|needs?) your (approval|authori[sz]ation)\b|"
    r"(has|have) been (given|granted) access to\b|"
    r"your\s+([\w-]+\s+){0,3}(request|report|timesheet|time sheet|application|registration|"
    r"requisition|order|enrol?lment|election|claim|form|submission)\s+(#\s?\d+\s+|"
    r"number\s+\d+\s+)?(has been|was)\s+(received on(?=\s+\d)|approved|rejected|"
    r"declined|denied|submitted|processed|completed|cancell?ed|received and)\b|"
    # An account's own warnings: a password about to lapse, a mailbox nearly full.
    r"your\s+([\w-]+\s+){0,2}password\s+(will expire|expires|has expired|is due to expire)|"
    # A service's own reminders: what lapses, what the reader asked it to resend, and the
    # template's escape clause for those who already acted.
    r"your\s+([\w.-]+\s+){0,3}(subscription|membership|domain( name)?|registration|license|"
    r"licence|certificate|plan|trial)\s+(will expire|expires|has expired|is (about|due|set) to "
    r"expire)|domain( name)?\s+\S+\s+(will expire|expires|has expired|is (about|due|set) to "
    r"expire)|"
    r"(you (have )?recently (asked for|requested)|you (have )?(asked|requested) (us|that we) (to )?"
    r"(send|remind|e-?mail)( you)?( of| with)?) your\s+([\w-]+(\.[\w-]+)*\s+){0,2}(password|"
    r"user ?name|login|account (details|information))\b|"
    r"if you ha(ve|d) already (renewed|paid|registered|made (your|a|the) payment)\b[^.\n]{0,80}?"
    r"(please )?(disregard|ignore)|"
    r"your\s+(subscription|membership|registration|account)\s+(to|for|with|at)\s+[^.\n]{1,40}?"
    r"\s+(has been|is|was)\s+(successfully\s+)?(confirmed|activated|created|renewed|approved)\b|"
    r"your\s+([\w-]+(\.[\w-]+)*\s+){0,2}account\s+(has been|is|was)\s+(successfully\s+)?"
    r"(created|activated)\b|"
    # A payment service telling the payee; a form passing the reader's comments on; a product key.
    r"(has |just )?sent you (a payment of |an? )?[$€£]\s?\d|"
    r"your (comments?|feedback|suggestions?) (has|have) been (forwarded|passed on|sent) to\b|"
    r"(registration|license|licence|activation|product|serial|unlock) (key|code)\s*:|"
    r"your mailbox (is|has) (almost |nearly )?(full|exceeded|reached)|"
    r"record locator\b|"
    # A shop's receipt: its total and shipping lines ("Subtotal: $42.98", "Shipping & Handling").
    r"(sub-?\s?total|order total|grand total|shipping (&|and) handling)\s*[:=]?\s*[$€£]?\s*\d|"
    r"(view|manage) your (booking|reservation|order|account|subscription)s?\b|"
    r"this (e-?mail|message) was sent to \S+@|"
    r"all rights reserved|alle rechte vorbehalten|tous droits r[ée]serv[ée]s|"
    r"todos los derechos reservados|tutti i diritti riservati|todos os direitos reservados|"
    r"alle rechten voorbehouden|wszelkie prawa zastrzeżone|все права защищены|"
    r"(order|booking|reservation|confirmation|reference|registration|membership|transaction|"
    r"invoice|itinerary) (number|no\.?|code|id|ref(erence)?)\s*[:#]|"
    # An account a site has just opened, stating its own login.
    r"your (user ?name|user ?id|member ?id|member(ship)? number|login( name| id)?|password|"
    r"pin|(order|account|customer|confirmation) (number|id|code)) (is|will be)\s*:|"
    r"your (customer|member(ship)?|subscriber|policy) (number|id) "
    r"(is|will be) #?[a-z]{0,3}[0-9][0-9-]{3,}",
)
# One "Label: value" line of a filled-in web form; the label is short and starts with a letter.
# The server variables a CGI form mailer appends to what a visitor typed (formmail and its
# kind): nobody writing a letter types "REMOTE_ADDR". Upper case, as the scripts print them.
CGI_VARIABLES = re.compile(
    r"\b(REMOTE_ADDR|REMOTE_HOST|HTTP_USER_AGENT|HTTP_REFERER|HTTP_X_FORWARDED_FOR|SERVER_NAME|"
    r"SCRIPT_NAME|REQUEST_URI)\b"
)
# A line of a machine's data report: "KEY = value", or a time-stamped log line.
DATA_LINE = re.compile(
    r"[ \t]*([A-Za-z][\w.()/-]{0,40}[ \t]*=[ \t]*[^=\n]*|\d{1,2}:\d\d(:\d\d)?[ \t].*)"
)
# A figure standing as a word of its own ("10,333", "2001-06-01"; not "4th" or "T2P").
FIGURE = re.compile(r"(?<!\w)[0-9][0-9,.:/-]*(?!\w)")
WORD = re.compile(r"[^\W\d_]{2,}")
# Not a URL's "://", nor a program's assignment ("ev := map(...)") in code someone pasted.
FORM_FIELD = re.compile(r"^[ \t]*[-*•]?[ \t]*([^\W\d_][^\n:]{0,30}?)[ \t]*:(?!//|=)[ \t]*(.*)$")
# Labels that a person's signature ("T:", "Tel.:", "Direct line:") or a forwarded header block
# has too: they make no form. Matched against the whole label.
FORM_NOT_A_FIELD = re.compile(
    r"[a-z]\.?|(from|to|cc|bcc|sent|date|subject|von|an|gesendet|betreff|datum|de|à|envoyé|"
    r"objet|para|enviado|asunto|https?|mailto)|"
    r".*\b(tel|tele?phone|telefon|phone|fax|mobile?|mob|cell|handy|e-?mail|mail|web(site)?|www|"
    r"internet|address|adresse|direct|office|skype)\b.*",
    re.I,
)
# "All of us at Acme" / "Everyone at Acme" on a line of its own signs a template on its own.
TEAM_LINE = Phrases(r"^[ \t]*(all of us|everyone|your friends|the folks) at [^\n]{1,40}$", re.M)
# A closing line followed by a team instead of a person ("Best regards,\nYour Acme Team"):
# the signature of a template. A person signs with a name, even when a team line follows it.
_TEAM_CLOSING = (
    r"(best|kind|warm)?[ \t]*(regards|wishes|sincerely|thanks|thank you|cheers|"
    r"mit freundlichen gr(ü|ue)(ß|ss)en|(viele|beste|freundliche) gr(ü|ue)(ß|ss)e|cordialement|"
    r"bien (à vous|cordialement)|saludos|atentamente|cordiali saluti|distinti saluti|"
    r"met vriendelijke groet(en)?|groeten|atenciosamente|cumprimentos|"
    r"s pozdravem|s pozdravom|pozdrawiamy|z powa[żz]aniem|(med )?v[äa]nliga h[äa]lsningar|"
    r"(med )?venlig hilsen|(med )?vennlig hilsen|yst[äa]v[äa]llisin terveisin|terveisin|"
    r"с уважением|saygılarımızla|[üu]dv[öo]zlettel)"
)
# "Your Acme team", "The Acme team"; or the team named first ("L'équipe Acme", "Tým Knihobot",
# "Zespół Acme", "Teamet på Acme", "Команда Acme").
_TEAM_LAST = (
    r"(your|the|ihr|dein|euer|das|votre|l'|el|il|het|uw|v[áa][šs]|va[šs]e|v[áa][šs]e|tw[óo]j|"
    r"wasz|ditt|ert|jeres|teid[äa]n|ваша|ваш)[ \t]+[^\n]{0,40}?"
    r"[ \t-]?(team|équipe|equipo|squadra|equipa|t[ýí]m|zesp[óo][łl]|teamet|tiimi|команда)"
)
_TEAM_FIRST = (
    r"(l'équipe|el equipo|il team|das team|the team|a equipa|t[ýí]m|zesp[óo][łl]|teamet|tiimi|"
    r"команда)"
)
TEAM_SIGNOFF = Phrases(
    # The team on the line under the closing, or at the end of the closing's own line ("Best
    # regards, the Acme Team", "S pozdravem tým knihobot.cz"; not "Thanks, the team will call").
    r"^[ \t]*" + _TEAM_CLOSING + r"[ \t]*[,.!]?[ \t]*("
    r"\n([ \t]*\n)?[ \t]*(" + _TEAM_LAST + "|" + _TEAM_FIRST + r"[ \t]+[^\n]{1,40})|"
    r"[ \t]+(" + _TEAM_LAST + "|" + _TEAM_FIRST + r"[ \t]+\S+))[ \t]*[.!]?[ \t]*$",
    re.M,
)
# A closing line followed by a capitalised given name ("Thanks,\nAnnette Ambriz"): a person signs.
# Case matters for the name, so this is a plain pattern, not a Phrases.
PERSON_SIGNOFF = re.compile(
    r"^[ \t]*(best|kind|warm|many|yours)?[ \t]*(regards|wishes|sincerely|thanks|thank you|cheers|"
    r"faithfully|truly|respectfully|(sincerely|truly|faithfully|cordially) yours|"
    r"mit freundlichen gr(ü|ue)(ß|ss)en|(viele|beste|liebe) gr(ü|ue)(ß|ss)e|gru(ß|ss)|cordialement|"
    r"bien (à vous|cordialement)|saludos|atentamente|cordiali saluti|saluti|"
    r"met vriendelijke groet(en)?|groeten)[ \t]*[,.!]*[ \t]*\n([ \t]*\n)?[ \t]*"
    r"(?!(?i:the|your|ihr|dein|euer|das|votre|el|il|het|uw|team)\b)"
    r"(?-i:[A-ZÀ-Ý][a-zà-ÿ'-]+)\b",
    re.M | re.I,
)
# A signature line that is only a name ("Sam", "- Sam Lee", "Jens"), with no closing above it.
SIGNED_NAME = re.compile(r"[-–—~ \t]*[A-ZÀ-Ý][a-zà-ÿ'-]+( [A-ZÀ-Ý][a-zà-ÿ'.-]*){0,2}[ \t.!]*")
# Words that make a short capitalised line a company's or a team's, not a person's name.
NOT_A_NAME = re.compile(
    r"\b(team|support|service|services|sales|customer|care|department|office|desk|center|centre|"
    r"motors|inc|ltd|llc|gmbh|corp|company|group|the|your|ihr|thanks|thank|regards|cheers|best|"
    r"hotels?|airlines?|airways|bank|insurance|travel|reservations|bookings|store|shop|online|"
    r"hello|hi|dear|admin|administrator|webmaster|system|"
    # A form's or an order's section headings ("Payment Method", "Billing Address").
    r"payment|method|account|order|total|subtotal|address|details|summary|billing|shipping|"
    r"invoice|status|amount|quantity|"
    # The links at the foot of a designed notice ("Terms | Privacy | Support", "Unsubscribe").
    r"unsubscribe|abmelden|d[ée]sabonner|desuscribirse|privacy|terms|help|faq|feedback|contact|"
    r"imprint|impressum|datenschutz|preferences|settings|download|login|website|home|view)\b|"
    # A possessive is a shop's or a slogan's ("Earth's Biggest Selection", "Macy's"), not a name.
    r"\w's\b",
    re.I,
)
# A Chinese, Japanese-kanji or Korean personal name: one word of two to four characters
# ("王小明", "김민수"), as a display name or a signature line holds it.
CJK_NAME = re.compile(r"[\uac00-\ud7af\u4e00-\u9fff]{2,4}")
# A copyright line ("© 2024 The Harbour Lodge", "Copyright (c) Acme", "腾讯公司 版权所有"): the
# name on it is the sender's business, so the same words on a line of their own are its name,
# not a signature.
COPYRIGHT_LINE = re.compile(r"^.*(©|\(c\)|\bcopyright\b|版权所有|版權所有|저작권).*$", re.M | re.I)
# A line that introduces the quoted history (an attribution, possibly over two lines, or an
# Outlook header block); everything after it is what the buyer or someone else wrote earlier.
QUOTE_START = Phrases(
    # The separator line mail programs write above the quote, as they name it in their languages.
    # (Outlook indents it by a space in plain text: " -----Original Message-----".)
    r"^([ \t]*-{2,}\s*(original message|urspr[üu]ngliche nachricht|message d'origine|"
    r"mensaje original|messaggio originale|replied message|forwarded message|"
    r"oorspronkelijk bericht|wiadomo[śs][ćc] oryginalna|исходное сообщение|mensagem original|"
    r"alkuper[äa]inen viesti|ursprungligt meddelande|oprindelig meddelelse|opprinnelig melding|"
    r"p[ůu]vodn[íi] zpr[áa]va|orijinal mesaj|eredeti [üu]zenet|原始邮件|原始郵件|回复的邮件|"
    r"転送メッセージ|元のメッセージ|원본 메시지|전달된 메시지)\s*-{2,}|_{10,}|"
    # Lotus Notes: "----- Forwarded by Jo Smith/HOU/ACME on 11/16/2000 08:35 AM -----".
    r"[ \t]*-{2,}\s*forwarded by [^\n]{1,120}|"
    r"(on|am|le|el|il|op) [^\n]{4,160}\n?[^\n]{0,80}"
    r"(wrote|schrieb|a [ée]crit|escribi[óo]|ha scritto|schreef)( [^\n]{0,60})?\s*:|"
    # Attributions in Chinese, Japanese and Korean ("…写道：", "…님이 작성:"), and the bare
    # "<date> <name> <address>:" line other languages' webmail writes (either order).
    # (A look-ahead for the colon at the line's end first: most lines fail it at once.)
    r"(?=[^\n]*[:：][ \t]*$)(?:[^\n]{2,200}(写道|寫道|書きました|작성)\s*[:：][ \t]*$|"
    r"[^\n]{0,80}((19|20)\d\d|\d{1,2}:\d\d)[^\n]{0,120}<[^\s<>@]+@[^\s<>]+>[^\n]{0,30}[:：][ \t]*$|"
    r"[^\n]{0,80}<[^\s<>@]+@[^\s<>]+>[^\n]{0,80}((19|20)\d\d|\d{1,2}:\d\d)[^\n]{0,60}[:：]"
    r"[ \t]*$)|"
    r"(from|von|de|da|van)\s*:\s*.+@|"
    # The same block in any other language (Outlook's "من:", "От:", "发件人：", "Od:" ...): a
    # label, a name with its <address>, and a next label line that holds a year or a time.
    r"[^\W\d_][^\n:：]{0,24}[:：][ \t]*[^\n]{0,80}<[^\s<>@]+@[^\s<>]+>[ \t]*\n"
    r"[ \t]*[^\W\d_][^\n:：]{0,30}[:：][^\n]*((19|20)\d\d|\d{1,2}:\d\d))",
    re.M,
)
# Mailer names of dealer CRMs and lead tools, as seen in X-Mailer / User-Agent values.
CRM_MAILERS = Phrases(
    r"vinsolutions|dealersocket|elead|e-?leads|cdk|reynolds|dealertrack|dealer\.?com|"
    r"dealerinspire|drivecentric|promax|momentum|salesforce|hubspot|zoho|pipedrive|"
    r"marketo|pardot|mailchimp|sendgrid|mailgun|mandrill|sparkpost|amazon ?ses|"
    # Newsletter and bulk-mail platforms.
    r"inxmail|cleverreach|newsletter2go|rapidmail|mailjet|sendinblue|brevo|klaviyo|emarsys|"
    r"exacttarget|silverpop|eloqua|activecampaign|getresponse|aweber|mailerlite|phplist|"
    r"mautic|listmonk|mailpoet|campaign ?monitor|constant ?contact|"
    r"autoresponder|auto-?reply|leadpro|autoalert",
)
# Libraries that web applications send with; a person's mail program names itself. PHP's
# mail() ("X-Mailer: PHP/8.1") and libraries that call themselves a "Mailer" (not Open-Xchange's
# webmail, which people write in). Unlike a dealer CRM's or a bulk platform's name, these carry
# a site's notices rather than salespeople's replies.
WEB_MAILERS = Phrases(
    r"phpmailer|swift ?mailer|symfony|nodemailer|wordpress|drupal|joomla|typo3|zend_mail|"
    r"\bphp\b|(?<!open-xchange )\bmailer\b",
)
# Message-ID domains of bulk and transactional senders and hosted help desks: the sending
# system writes the Message-ID, whatever From says. Evidence only, as the headers above.
MESSAGE_ID_SENDERS = Phrases(
    r"@([\w.-]+\.)?(amazonses\.com|sendgrid\.net|mandrillapp\.com|mcsv\.net|mcdlv\.net|"
    r"sparkpostmail\.com|mailjet\.com|sendinblue\.com|brevo\.com|mailgun\.(org|net)|"
    r"mtasv\.net|exacttarget\.com|exct\.net|hubspot(email)?\.(com|net)|sfdc\.net|"
    r"constantcontact\.com|createsend\.com|klaviyo(mail)?\.com|intercom-mail\.com|"
    r"zendesk\.com|freshdesk\.com|helpscout\.net)>?\s*$",
)
# The line a hosted help desk puts over every message it sends, an agent's reply included
# ("##- Please type your reply above this line -##"): it says which system sent the mail, as
# the help desk's Message-ID does, not who wrote it.
HELP_DESK_MARKER = Phrases(r"(type|write|enter) your reply above this line|reply above this line")
# A salutation to nobody in particular: a template's, not a person's who read the inquiry.
GENERIC_GREETING = Phrases(
    r"^[ \t]*(dear|hello|hi|hallo|sehr geehrte[r]?|liebe[r]?|bonjour|cher|ch[èe]re|estimad[oa]|"
    r"hola|gentile|caro|cara|beste|geachte|prezad[oa]|"
    # ... and in the other European languages: "Vážený klient", "Szanowny Kliencie",
    # "Bäste kund", "Kære kunde", "Hyvä asiakas", "Уважаемый клиент", "Sayın müşterimiz".
    r"v[áa][žz]en[ýáíé]|szanown[yia]|drog[ia]|b[äa]st[ae]|kj?[æa]re|hyv[äa]|"
    r"уважаем(ый|ая|ые)|дорог(ой|ая|ие)|say[ıi]n|kedves)[ \t]+"
    r"(valued[ \t]+|geehrte[r]?[ \t]+)?(customer|client|guest|"
    r"member|user|subscriber|shopper|buyer|kundin|kunde|kunden|gast|mitglied|nutzer|cliente?|"
    r"miembro|usuario|klant|klient(e|ko|ka|ce)?|kliencie|klienci|z[áa]kazn[íi]k(u|e)?|"
    r"z[áa]kaznice|kund(er)?|asiakas|asiakkaamme|клиент|покупатель|пользователь|"
    r"m[üu][şs]teri(miz)?|[üu]gyf[ée]l(ünk)?|v[áa]s[áa]rl[óo])s?\b",
    re.M,
)
# A greeting that is the addressee's name in capitals as a database holds it ("THOMAS DONOHOE,",
# "WILLIAMS, JASON C,"): a mail merge. Case matters, so a plain pattern.
MERGED_NAME_GREETING = re.compile(r"\A\s*[A-Z][A-Z'.-]+(,? [A-Z][A-Z'.-]*){1,3},[ \t]*$", re.M)
# "Dear jo@example.com,": a salutation a mail merge filled with the address. No one greets so.
ADDRESS_GREETING = re.compile(
    r"\A\s*(dear|hello|hi|hallo|bonjour|hola)[ \t]+[\w.%+'-]+@[\w-]+(\.[\w-]+)+[ \t]*[,:!]",
    re.I,
)
# "Dear Sir or Madam": a letter to whoever holds the address, by a machine or a person.
ANYONE_GREETING = Phrases(
    r"^[ \t]*(sehr geehrte damen und herren|dear (sir or madam|sir/madam|sirs)|"
    r"(madame,? monsieur|mesdames,? messieurs)\b|to whom it may concern|estimados se[ñn]ores|"
    r"gentili signori|geachte (heer of mevrouw|heer/mevrouw|dames en heren))",
    re.M,
)
# A mail-merge field left unfilled: "{{first_name}}", "*|FNAME|*", "%FIRSTNAME%", "[First Name]",
# or a salutation whose name came out empty ("Dear ,"). No person types these.
MERGE_FIELD = Phrases(
    r"\{\{\s*[\w.]*(name|vehicle|salutation|anrede|vorname|nachname|pr[ée]nom|nombre)\w*\s*\}\}|"
    r"\*\|\s*[fl]?name\s*\|\*|%(first|last|full)?_?name%|"
    r"\[(first|last|full|customer|contact|client)[ _]?name\]|"
    r"<<\s*(first|last|full|customer)?[ _]?name\s*>>|"
    r"^[ \t]*(dear|hi|hello|hallo|bonjour|hola)[ \t]+,",
    re.M,
)
# Headers that only a program writes, whose whole message it generated: cron's job output and
# a git hook's report of pushed commits (post-receive-email, git-multimail).
PROGRAM_HEADERS = ("x-cron-env", "x-git-newrev", "x-git-refname")
# Header names only CRM/bulk senders add. Presence is evidence; the name is the reason.
CRM_HEADERS = (
    "x-sfdc-lk",
    "x-sfdc-user",
    "x-hubspot-mail-id",
    "x-mc-user",
    "x-mailgun-tag",
    "x-sg-eid",
    "x-ses-outgoing",
    "x-mandrill-user",
    "x-campaign",
    "x-campaignid",
    "x-crm",
    "x-lead-id",
    "x-marketo-message-id",
    "feedback-id",  # Amazon SES, SendGrid, Mailchimp and other bulk senders
    "x-php-originating-script",  # PHP's mail(): a web application sent it, not a mail client
    "x-php-script",  # the same header as older PHP versions named it
    "x-mailgun-sid",
    "x-pm-message-id",  # Postmark
    "x-mailjet-campaign",
    "x-sib-id",  # Brevo / Sendinblue
)
