## Zalo Official Account (zalo-oa-): thông báo cho quản trị viên

zalo-oa-refresh-refused = ⚠️ Zalo OA: Zalo từ chối làm mới mã truy cập ({ $reason }). Cần cấp quyền lại cho ứng dụng trên Zalo và đặt ZALO_OA_ACCESS_TOKEN, ZALO_OA_REFRESH_TOKEN mới.
zalo-oa-refresh-unreachable = ⚠️ Zalo OA: mã truy cập đã hết hạn và chưa làm mới được vì không kết nối được Zalo ({ $reason }); bot sẽ tự thử lại.

## Người dân nhắn cho Zalo OA của công an phường

zalo-oa-welcome =
    👋 Chào bạn! Bạn đã theo dõi kênh Zalo của công an phường, ghi nhận bạn ở { $place }.
    Bạn sẽ nhận khuyến cáo an ninh của tổ dân phố tại đây. Gõ "baotin" để gửi tin báo, "kiemtra" kèm số điện thoại hoặc link để kiểm tra lừa đảo, "help" để xem mọi lệnh.
zalo-oa-start-unknown = Mã khu vực trên tờ QR không còn dùng được. Hãy chọn tổ dân phố nơi bạn ở:
