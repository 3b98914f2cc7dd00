## Zalo Official Account (zalo-oa-): notices for the admins

zalo-oa-refresh-refused = ⚠️ Zalo OA: Zalo refused to refresh the access token ({ $reason }). Authorize the app again on Zalo and set a new ZALO_OA_ACCESS_TOKEN and ZALO_OA_REFRESH_TOKEN.
zalo-oa-refresh-unreachable = ⚠️ Zalo OA: the access token has expired and could not be refreshed because Zalo is unreachable ({ $reason }); the bot keeps trying.
