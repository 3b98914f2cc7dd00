"""The Zalo Official Account (OA) surface: Open API v3 client, signed webhook receiver,
token rotation, and the event dispatcher a conversation surface plugs into.

An OA is not the Zalo bot of ``zalo/`` (Bot Platform, ``bot<token>/<method>``): it is the
ward police's own account, with its own API (openapi.zalo.me), OAuth tokens that rotate, and
webhooks signed with the OA secret key. It lives in its own package so the two never mix.

Modules: ``client`` (HTTP to the OA API, typed errors), ``signature`` (X-ZEvent-Signature),
``events`` (webhook bodies to typed events), ``webhook`` (the aiohttp receiver: verify, store,
answer 200), ``dispatch`` (the event dispatcher interface and the bookkeeping every event
gets), ``surface`` (the Zalo bot's conversation over the OA), ``sender`` (the OA in the
channel router: parts, pacing, quota, the 7-day window), ``runtime`` (start/stop: receiver,
worker, sweep, token refresher; the channel's wiring). Channel-neutral
rules and storage sit in ``services/zalo_oa.py`` and ``services/zalo_oa_tokens.py``.

FACTS — what the code relies on, where it was checked, and what is not confirmed
==========================================================================================
Sources read: the official SDKs zaloplatform/zalo-java-sdk, zaloplatform/ZaloDotNetSDK,
zaloplatform/zalo-php-sdk (GitHub; no official Python SDK was found); Chatwoot's Zalo OA
channel (chatwoot/chatwoot: app/jobs/webhooks/zalo_events_job.rb, app/models/channel/
zalo_oa.rb, app/services/zalo/*, lib/integrations/zalo/*); blog posts quoting the
developers.zalo.me pages (hainh.me "zalo-api-php-webhook-callback-official-account",
hexasync.vn "lay access token tu refresh token"); Zalo OA help centre (zalooa.freshdesk.com).
The developers.zalo.me pages themselves were not reachable from here.

Confirmed (two independent sources or an official SDK):
* Signature: ``X-ZEvent-Signature: mac=<hex sha256(app_id + raw body + timestamp + OA
  secret key)>``, a plain SHA-256, no HMAC. Java SDK ``MacUtils.buildMac(appId, data,
  timeStamp, secretKey)`` concatenates and ``encodeSHA256`` (plain MessageDigest); Chatwoot's
  ``validate_signature`` compares the header with ``"mac=#{sha256(app_id + body + timestamp +
  ZALO_OA_SECRET_KEY)}"`` using the body's ``timestamp``; hainh.me quotes the docs: the four
  parts in that order, the timestamp taken from the JSON body, and the key is the *OA* secret
  key, not the app secret. -> ``ZALO_OA_SIGNATURE=sha256`` (default).
* The webhook must answer HTTP 200 within 2 s, else Zalo retries (hainh.me quoting the docs:
  "liên tục gửi lại trong vòng 12 giờ" before the webhook is disabled).
* Refresh: ``POST {oauth}/v4/oa/access_token``, form ``refresh_token``, ``app_id``,
  ``grant_type=refresh_token``, header ``secret_key`` = the app secret (Java SDK test
  GetAccessTokenByRefreshToken; Chatwoot ``refresh_post`` and ``Integrations::Zalo::Auth``;
  hexasync). Answer ``{access_token, refresh_token, expires_in}``.
* Access token lives 25 h; refresh token 3 months and single use (hexasync quoting the docs;
  a GMF research note citing developers.zalo.me "xac-thuc-va-uy-quyen-cho-ung-dung-new").
* CS message: ``POST {api}/v3.0/oa/message/cs``, header ``access_token``, body
  ``{recipient:{user_id}, message:{text}}`` (.NET SDK sendTextMessageToUserIdV3, Java SDK
  test SendTextCSMessage, Chatwoot). Image: upload ``POST {api}/v2.0/oa/upload/image``
  (multipart ``file``) -> ``data.attachment_id``, then ``message.attachment = {type:
  "template", payload:{template_type:"media", elements:[{media_type:"image",
  attachment_id}]}}`` (.NET SDK sendImageMessageToUserIdByAttachmentIdV3, Chatwoot).
* Envelope ``{error, message, data}``; success is ``error == 0`` whatever the HTTP status
  (Chatwoot checks ``response['error']``; -216 = access token invalid/expired, on which
  Chatwoot refreshes and retries).
* Events ``user_send_text|image|link|sticker|location|file`` (and audio, video, gif) with
  ``{app_id, event_name, timestamp (epoch ms, a string), sender{id}, recipient{id},
  message{msg_id, text, attachments[{type, payload}]}}``; a captured Chatwoot log shows
  ``"timestamp"=>"1751100041636"`` and ``"user_id_by_app"``.
* Location: ``attachments[0].payload.coordinates.{latitude, longitude}``, as *strings* in
  the captured log (Chatwoot LocationService). Other shapes seen in integrations and also
  accepted: ``payload.{latitude, longitude}``, ``payload.{lat, long|lng}``,
  ``message.location.{lat, long}``.
* Follower tags: ``POST {api}/v2.0/oa/tag/tagfollower`` and ``/v2.0/oa/tag/rmfollowerfromtag``,
  ``{user_id, tag_name}``, header ``access_token``; a new tag name is created on first use;
  there is no v3.0 path (the .NET community SDK's endpoint list ZaloCSharpSDK, several PHP/JS
  wrappers, a Vietnamese integration guide; one integration notes that v3.0 answers 404).
* Group Message Framework: ``POST {api}/v3.0/oa/group/message``, ``{recipient:{group_id},
  message:{text}}``, to groups the OA created or joined (several integrations; a research
  note citing developers.zalo.me/docs/official-account/nhom-chat-gmf/tin-nhan/text_message).

Unconfirmed (one secondary source, or none we could reach; kept behind names in ``client``):
* The HMAC reading of the signature (third-party code only; refused unless chosen).
* Some integrations read the timestamp from an ``X-ZEvent-Timestamp`` header instead of the
  body; the body's timestamp is used (SDK + Chatwoot + docs quote).
* Error codes other than -216: -230/-232 outside the 7-day window, -213 not a follower, -32
  too many requests, -211 quota exceeded, -234 broadcast at night, -201/-210 bad parameter:
  from the issue, not found in any stored source. The 7-day window itself: a CRM's docs
  (docs.cloudpro.vn) say 7 days for non-followers; Zalo's help centre speaks of 8 free
  replies within 48 h, later replies counted as paid "tin chủ động". Both are possible.
* ``follow``/``unfollow`` bodies: ``follower.id`` (and ``oa_id``) rather than ``sender.id``;
  both are read. Whether a follow by QR code carries a parameter (``source``/``ref``) is
  not documented anywhere we found; one that looks like an area code is honoured.
* Text limit 2,000 characters (a third-party MCP tool's schema; the issue); image upload
  limit 1 MB (none).
* ``oa.query.hide`` buttons inside ``attachment.payload.buttons`` (.NET SDK QueryHideButtonV3
  and its v2 list message); at most 5 (the issue only).
* ``oa.query.hide`` buttons send their ``payload`` back as the follower's text (the .NET SDK
  and integrations say so); we make the payload the choice's number, so a tap and a typed
  number are the same answer. Button title length: not documented (cut at 100).
* -211 (quota): whether it covers all customer-service messages or one kind, and when it
  renews: not documented; the sender stops OA sends for an hour (``zalo_oa.sender``).
* Whether the 7-day window applies to OA group messages: nothing found; assumed not.
* Tag names: length and character limits not documented; one third-party comment says a
  follower holds one tag at most (so the old tag is removed before the new one is put).
* Broadcast ("tin truyền thông", the fallback the issue mentions outside the window): its
  v3 endpoint and payload are not confirmed by any stored source; not used (see sender).
* Adding an OA to a group residents created: no documentation found (a third-party SDK
  comment claims a group admin can; nothing official). Only OA-created groups are linked.
"""
