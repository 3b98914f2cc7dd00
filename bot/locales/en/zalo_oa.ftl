## Zalo Official Account (zalo-oa-): notices for the admins

zalo-oa-refresh-refused = ⚠️ Zalo OA: Zalo refused to refresh the access token ({ $reason }). Authorize the app again on Zalo and set a new ZALO_OA_ACCESS_TOKEN and ZALO_OA_REFRESH_TOKEN.
zalo-oa-refresh-unreachable = ⚠️ Zalo OA: the access token has expired and could not be refreshed because Zalo is unreachable ({ $reason }); the bot keeps trying.

## Residents writing to the ward police's Zalo OA

zalo-oa-welcome =
    👋 Hello! You follow the ward police's Zalo channel; you are recorded as living in { $place }.
    You will get your residential group's security advisories here. Type "tip" to send a tip, "check" with a phone number or link to check for fraud, "help" for every command.
zalo-oa-start-unknown = The area code on the QR poster is no longer in use. Choose the residential group you live in:
