"""The words and header values the rules look for, in one place so they can be reviewed.

Patterns are written from public knowledge of how mail systems and people write (RFC 3834,
RFC 3464, common mail-client and CRM behaviour), in English, German, French, Spanish, Italian,
Dutch and Portuguese. They are matched against the subject and the *fresh* text of a reply
(quoted history cut off), never against what the buyer wrote.
"""

from __future__ import annotations

import re

__all__ = (
    "ACK_BODY",
    "AUTO_BODY",
    "AUTO_SUBJECT",
    "BOUNCE_BODY",
    "BOUNCE_SENDER",
    "BOUNCE_SENDER_NAME",
    "BOUNCE_SUBJECT",
    "CRM_HEADERS",
    "CRM_MAILERS",
    "DELAY_WORDS",
    "DSN_FIELDS",
    "NOREPLY_ENVELOPE",
    "NOREPLY_SENDER",
    "NOTIFICATION_BODY",
    "NOTIFICATION_SUBJECT",
    "OOO_BODY",
    "OOO_SUBJECT",
    "QUOTE_START",
    "TEAM_SIGNOFF",
)

_I = re.I

OOO_SUBJECT = re.compile(
    r"out of (the )?office|\booo\b|abwesen|abwesenheit|nicht im b[üu]ro|"
    r"absence|absent(e)?\b|en cong[ée]|fuera de la oficina|ausente|vacaciones|"
    r"fuori ufficio|assente|afwezig|niet aanwezig|fora do escrit[óo]rio|ausência|"
    r"on (annual )?leave|vacation|holiday notice|urlaub",
    _I,
)
AUTO_SUBJECT = re.compile(
    r"auto(matic|matische|matisch)?[- ]?(reply|response|antwort|answer)|autoreply|autorespon|"
    r"auto(matically)?[- ]?generated|automatyczna odpowied|"
    r"r[ée]ponse automatique|respuesta autom[áa]tica|risposta automatica|"
    r"automatisch(e)? (antwoord|antwort)|resposta autom[áa]tica|"
    r"\back(nowledge?ment)?\b|we('ve| have) received your|thank(s| you) for (your|contacting)|"
    r"ihre anfrage (ist|wurde)|eingangsbest[äa]tigung|accus[ée] de r[ée]ception|"
    r"hemos recibido|confirmaci[óo]n de recepci[óo]n",
    _I,
)
BOUNCE_SENDER = re.compile(
    r"^(mailer[-_.]?daemon|mail[-_.]?daemon|post[-_.]?master|mail[-_.]?delivery[-_.]?"
    r"(system|subsystem)?|mdaemon)@",
    _I,
)
# A mail system that names itself in the display name, whatever the address (``MAILER-DAEMON
# <>``, "Mail Delivery System <postfix@host>", "Mail Administrator <...>").
BOUNCE_SENDER_NAME = re.compile(
    r"mailer[-_ ]?daemon|mail delivery (system|subsystem)|postmaster|mail administrator|"
    r"system administrator|internet mail delivery|mail system",
    _I,
)
BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery status notification|returned mail|returned to sender|"
    r"delivery (has )?failed|delivery failure|failure notice|mail delivery (failed|system)|"
    r"could not be delivered|nondeliverable|non-delivery|delivery (notification|problem)|"
    r"unzustellbar|nicht zugestellt|unzustellbare|non remis|non distribu|"
    r"[ée]chec de (la )?(remise|distribution)|no se puede entregar|no entregado|"
    r"entrega fallida|mancato recapito|onbestelbaar|delayed mail|delivery delayed|"
    r"warning: message .* delayed",
    _I,
)
BOUNCE_BODY = re.compile(
    r"(could not|couldn't|was not|wasn't|cannot|can't) be delivered|delivery (to the following )?"
    r"recipients? failed|permanent(ly)? (error|fail)|user unknown|no such user|"
    r"mailbox (unavailable|not found|full|is full)|address rejected|recipient address rejected|"
    r"message not delivered|konnte nicht zugestellt|n'a pas pu être remis|no se pudo entregar|"
    r"this is the mail system at host|the following address(es)? failed|"
    r"(an )?error (occurred )?(while )?(trying to )?deliver(ing)? (the |your )?(mail|message)|"
    r"delivery has failed to these recipients|i'm afraid i wasn't able to deliver|"
    r"did not reach (the following|some or all of the intended) recipient|"
    r"could not be reached|recipient (name )?(is )?not (recognized|found)|unknown recipient|"
    r"addresses had (permanent|fatal|delivery) (fatal )?(errors|problems)|"
    r"was not delivered to|requested action not taken|not listed in (the )?(domino )?directory|"
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
    r"配信できませんでした|送信できませんでした|無法傳遞|无法投递",
    _I,
)
# RFC 3464 per-recipient fields written into a text part instead of a delivery-status part;
# both a recipient line and an action line must be present, in either order.
DSN_FIELDS = (
    re.compile(r"^\s*(final|original)-recipient:\s*(rfc822\s*;)?\s*<?\S+@\S+", re.I | re.M),
    re.compile(r"^\s*action:\s*(failed|delayed)\b", re.I | re.M),
)
DELAY_WORDS = re.compile(
    r"\bdelay(ed)?\b|will (be )?retr(y|ied)|still trying|has not yet been delivered|"
    r"not (yet )?been delivered .* retry|verz[öo]gert|retard[ée]e?|retrasad[oa]",
    _I,
)
NOREPLY_SENDER = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|notifications?|notify|"
    r"auto(mail|mated|reply|responder)?|system|alerts?|bounce[s]?)([-_.+][^@]*)?@|"
    # Unix and service accounts that scripts and servers send from; no person writes as them.
    r"^(root|cron|daemon|nobody|www-data|apache|nginx|oracle|postgres|mysql|jenkins|"
    r"wordpress|bugzilla-daemon)@|"
    r"^[^@]*\bno[-_.]?reply\b[^@]*@",
    _I,
)
# The envelope sender (Return-Path) of mail nobody may answer. Stricter than NOREPLY_SENDER:
# VERP bounce addresses (bounces+id@...) are how CRMs send a salesperson's one-to-one mail too.
NOREPLY_ENVELOPE = re.compile(r"^[^@]*\b(no|do[-_.]?not|dont)[-_.]?reply\b[^@]*@", _I)
OOO_BODY = re.compile(
    r"(i am|i'm|i will be) (currently )?(out of (the )?office|away|on (annual )?leave|on vacation|"
    r"on holiday|travell?ing)|out of (the )?office (until|from|through)|"
    r"limited access to (my )?e-?mail|"
    r"will (respond|reply|get back to you) (to your (message|e-?mail) )?"
    r"(upon|when|after) my return|"
    r"bin (ab dem|vom|bis zum|derzeit|zurzeit|momentan|ab) .{0,40}"
    r"(nicht im b[üu]ro|abwesend|im urlaub|nicht erreichbar)|"
    r"ich bin (derzeit |zurzeit |momentan |leider )?(nicht im b[üu]ro|abwesend|im urlaub)|"
    r"je suis (actuellement )?(absent|en cong[ée])|"
    r"de retour le|estar[ée] fuera|estoy (fuera|de vacaciones|ausente)|"
    r"sar[òo] (fuori|assente)|ik ben (afwezig|niet aanwezig|met vakantie)",
    _I,
)
AUTO_BODY = re.compile(
    r"this (is an? )?(automated|automatic|auto-generated|computer generated)|"
    r"(automated|automatic|auto-generated) (message|e-?mail|response|reply|notification)|"
    r"(please )?do not reply( directly)?( to this)?|please don't reply|"
    r"this (e-?mail|mailbox|address) is not monitored|unmonitored (mailbox|address)|"
    r"(diese|dies ist eine) (e-mail|nachricht) wurde automatisch|automatisch (erstellt|generiert)|"
    r"bitte antworten sie nicht|ceci est un (message|e-mail|courriel) automatique|"
    r"merci de ne pas r[ée]pondre|ne pas r[ée]pondre|"
    r"(este es un|este) (mensaje|correo) (es )?autom[áa]tico|no responda a este|"
    r"messaggio (generato )?automatico|non rispondere|"
    r"dit is een automatisch|niet beantwoorden",
    _I,
)
ACK_BODY = re.compile(
    r"(we|i) ('ve|have) received your (inquiry|enquiry|request|message|e-?mail|lead)|"
    r"(this is to )?confirm(ing)? (that )?(we|receipt)( have received)?|"
    r"your (inquiry|enquiry|request|message) (has been|was) received|"
    r"thank(s| you) for (your )?(inquiry|enquiry|interest|contacting|reaching out|your request)|"
    r"(a|one of our|our) (representative|sales (consultant|professional|associate|"
    r"representative|team|specialist)|team member|member of our( sales)? team|product specialist|"
    r"internet (sales )?(manager|consultant|specialist)) will (be in touch|contact you|"
    r"get back to you|reach out|respond)|will (contact|get back to) you (shortly|soon|as soon as)|"
    r"within (the next )?\d+ (business )?(hours|minutes|days)|"
    r"vielen dank f[üu]r ihre? (anfrage|nachricht|e-mail|interesse)|"
    r"wird sich .{0,40}bei ihnen melden|"
    r"wir haben ihre (anfrage|nachricht) erhalten|wir (melden uns|werden uns) .{0,40}(bei ihnen)|"
    r"nous avons (bien )?re[çc]u votre|merci (pour|de) votre (demande|message|int[ée]r[êe]t)|"
    r"(un|l'un de nos) (conseiller|commercial)s? (vous|va vous) (contacter|recontacter)|"
    r"hemos recibido su|gracias por (su|tu) (consulta|solicitud|inter[ée]s|mensaje)|"
    r"(un asesor|nos pondremos en contacto)|abbiamo ricevuto la sua|"
    r"we hebben uw (aanvraag|bericht) ontvangen",
    _I,
)
# Lead and ticket notifications from web forms, marketplaces and help desks: the subject names
# an event ("has a lead for you", "New inquiry from ...") rather than answering anyone.
NOTIFICATION_SUBJECT = re.compile(
    r"has (a )?(new )?(lead|inquiry|enquiry|message|request)s? for you|"
    r"^\s*(\[[^\]]*\]\s*)?(fwd?:\s*)?new (web |internet |sales |form )?(lead|inquiry|enquiry|"
    r"submission|form submission|contact (form )?(request|submission))\b|"
    r"you have (a|\d+) new (lead|inquiry|enquiry|message|request)s?|"
    r"new message (from|via|on) .{1,60} (via|on|through) |"
    r"neue (anfrage|nachricht|kontaktanfrage|lead)\b|nouvelle (demande|prospect|requ[êe]te)\b|"
    r"nueva (consulta|solicitud|oportunidad)\b",
    _I,
)
# Wording of machine notifications. Evidence only: a salesperson answering through a help desk
# or CRM gets the same footer under a reply they wrote themselves. A bare "unsubscribe" link is
# left out on purpose: CRMs add one to one-to-one sales mail too.
NOTIFICATION_BODY = re.compile(
    r"(please )?(type|write|enter) your reply above this line|reply above this line|"
    r"view (it|this (e-?mail|message)|the (full )?message) (online|in (your|a|the) browser)|"
    r"you are receiving this (e-?mail|email|message|mail|notification)|"
    r"you('re| are) (receiving|getting) this because|"
    r"you (receive|get) this (e-?mail|message|mail|notification) (because|as)\b|"
    r"(manage|update|change) (your )?notification (preferences|settings)|"
    r"this (e-?mail|message|notification) was (sent|generated) (to|by|automatically|from)|"
    r"has been (assigned|escalated) to you|a new (conversation|ticket|case|request|lead)\b|"
    r"(ticket|case|request) (number|no\.?|id|#)\s*:?\s*#?\d{3,}|"
    r"(lead|inquiry|enquiry) (details|information|source)\s*:|"
    r"sie erhalten diese (e-mail|nachricht)|vous recevez ce (message|courriel|mail)",
    _I,
)
# A closing line followed by a team instead of a person ("Best regards,\nYour Acme Team"):
# the signature of a template. A person signs with a name, even when a team line follows it.
TEAM_SIGNOFF = re.compile(
    r"^[ \t]*(best|kind|warm)?[ \t]*(regards|wishes|sincerely|thanks|thank you|cheers|"
    r"mit freundlichen gr(ü|ue)(ß|ss)en|(viele|beste|freundliche) gr(ü|ue)(ß|ss)e|cordialement|"
    r"bien (à vous|cordialement)|saludos|atentamente|cordiali saluti|distinti saluti|"
    r"met vriendelijke groet(en)?|groeten)[ \t]*[,.!]?[ \t]*\n([ \t]*\n)?"
    r"[ \t]*((your|the|ihr|dein|euer|das|votre|l'|el|il|het|uw)[ \t]+[^\n]{0,40}?"
    r"[ \t-]?(team|équipe|equipo|squadra)|"
    r"(l'équipe|el equipo|il team|das team|the team)[ \t]+[^\n]{1,40})[ \t]*[.!]?[ \t]*$",
    re.I | re.M,
)
# A line that introduces the quoted history (an attribution, possibly over two lines, or an
# Outlook header block); everything after it is what the buyer or someone else wrote earlier.
QUOTE_START = re.compile(
    r"^(-{2,}\s*(original message|urspr[üu]ngliche nachricht|message d'origine|"
    r"mensaje original|messaggio originale)\s*-{2,}|_{10,}|"
    r"(on|am|le|el|il|op) [^\n]{4,160}\n?[^\n]{0,80}"
    r"(wrote|schrieb|a [ée]crit|escribi[óo]|ha scritto|schreef)( [^\n]{0,60})?\s*:|"
    r"(from|von|de|da|van)\s*:\s*.+@)",
    re.I | re.M,
)
# Mailer names of dealer CRMs and lead tools, as seen in X-Mailer / User-Agent values.
CRM_MAILERS = re.compile(
    r"vinsolutions|dealersocket|elead|e-?leads|cdk|reynolds|dealertrack|dealer\.?com|"
    r"dealerinspire|drivecentric|promax|momentum|salesforce|hubspot|zoho|pipedrive|"
    r"marketo|pardot|mailchimp|sendgrid|mailgun|mandrill|sparkpost|amazon ?ses|"
    r"autoresponder|auto-?reply|leadpro|autoalert",
    _I,
)
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
    "x-mailgun-sid",
    "x-pm-message-id",  # Postmark
    "x-mailjet-campaign",
    "x-sib-id",  # Brevo / Sendinblue
)
