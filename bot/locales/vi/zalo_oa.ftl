## Zalo Official Account (zalo-oa-): thông báo cho quản trị viên

zalo-oa-refresh-refused = ⚠️ Zalo OA: Zalo từ chối làm mới mã truy cập ({ $reason }). Cần cấp quyền lại cho ứng dụng trên Zalo và đặt ZALO_OA_ACCESS_TOKEN, ZALO_OA_REFRESH_TOKEN mới.
zalo-oa-refresh-unreachable = ⚠️ Zalo OA: mã truy cập đã hết hạn và chưa làm mới được vì không kết nối được Zalo ({ $reason }); bot sẽ tự thử lại.
