## Kiểm tra lừa đảo (/kiemtra), xác nhận của công an, cảnh báo tự động trong nhóm

scam-button = 🔍 Kiểm tra lừa đảo
scam-command-kiemtra = Kiểm tra số điện thoại, tài khoản, link lừa đảo
scam-command-canhbaotudong = Bật/tắt cảnh báo lừa đảo tự động trong nhóm
scam-help-kiemtra = /kiemtra &lt;số điện thoại | số tài khoản | link&gt; — kiểm tra xem đã có ai báo lừa đảo chưa
scam-help-canhbaotudong = /canhbaotudong bat|tat — (công an, kiểm duyệt) bật/tắt cảnh báo tự động trong nhóm

scam-check-ask =
    Bạn muốn kiểm tra gì? Hãy gửi <b>số điện thoại</b>, <b>số tài khoản ngân hàng</b> hoặc <b>đường link</b> cần kiểm tra.
    Ví dụ: 0912 345 678 — Vietcombank 0123456789 — vcb-hotro.com
scam-check-placeholder = Số điện thoại, số tài khoản hoặc link
scam-check-usage =
    Hãy gõ kèm thứ cần kiểm tra, ví dụ:
    /kiemtra 0912 345 678
    /kiemtra Vietcombank 0123456789
    /kiemtra vcb-hotro.com
scam-check-unparseable =
    Tôi không nhận ra đây là số điện thoại, số tài khoản hay đường link.
    Bạn có thể gửi theo các cách sau:
    • Số điện thoại: 0912 345 678 hoặc +84 912 345 678
    • Số tài khoản: Vietcombank 0123456789 (ghi kèm tên ngân hàng càng tốt)
    • Đường link: vcb-hotro.com hoặc https://vcb-hotro.com/xac-nhan
    • Facebook, Zalo: facebook.com/ten.tai.khoan, zalo.me/0912345678

scam-kind-phone = Số điện thoại
scam-kind-bank_account = Số tài khoản
scam-kind-url = Đường link
scam-kind-social = Tài khoản mạng xã hội

scam-check-none =
    🔍 { $kind } <b>{ $display }</b>: hiện <b>chưa có ai báo</b> lừa đảo.
    Điều này KHÔNG có nghĩa là an toàn. Đừng chuyển tiền, đừng đọc mã OTP cho người lạ, đừng bấm link lạ.
    Nếu thấy nghi ngờ, hãy gửi tin báo cho công an phường, xã. Nếu đã mất tiền, gọi ngay 113.
scam-check-unverified =
    ⚠️ { $kind } <b>{ $display }</b>: có <b>1 báo cáo chưa xác minh</b> của người dân nói đây là của kẻ lừa đảo.
    Công an chưa xác nhận, nhưng hãy hết sức cảnh giác.

    Đừng chuyển tiền, đừng đọc mã OTP, đừng bấm link. Nếu đã chuyển tiền hoặc bị đe dọa, hãy gọi ngay 113.
scam-check-reported =
    ⚠️ { $kind } <b>{ $display }</b> đã bị <b>{ $people } người báo</b> lừa đảo.
    Khu vực: { $wards }{ $more ->
        [0] {""}
       *[other] {" "}và { $more } khu vực khác
    }
    Công an chưa xác nhận, nhưng hãy hết sức cảnh giác.

    Đừng chuyển tiền, đừng đọc mã OTP, đừng bấm link. Nếu đã chuyển tiền hoặc bị đe dọa, hãy gọi ngay 113.
scam-check-confirmed =
    🚨 { $kind } <b>{ $display }</b>: <b>Công an đã xác nhận đây là lừa đảo</b> (ngày { $date }).{ $people ->
        [0] {""}
       *[other] {"\u000A"}Đã bị { $people } người báo. Khu vực: { $wards }{ $more ->
            [0] {""}
           *[other] {" "}và { $more } khu vực khác
        }
    }

    Đừng chuyển tiền, đừng đọc mã OTP, đừng bấm link. Nếu đã chuyển tiền hoặc bị đe dọa, hãy gọi ngay 113.
scam-area-unknown = chưa rõ khu vực

scam-confirm-button = ✅ { action-scam }
scam-confirm-done = Đã xác nhận { $display } là lừa đảo. Các nhóm có bật cảnh báo sẽ được nhắc khi có người gửi lên.
scam-confirm-already = { $display } đã được xác nhận từ trước.
scam-unconfirm-done = Đã bỏ xác nhận { $display }: tra cứu sẽ không còn báo "Công an đã xác nhận".
scam-confirm-denied = Chỉ công an phụ trách khu vực có tin báo về số này mới xác nhận được.
scam-not-reported = Chưa có tin báo nào nhắc đến số, tài khoản hoặc link này.

scam-group-warning =
    🚨 <b>Cảnh báo lừa đảo!</b> Tin nhắn trên có { $items } đã được công an xác nhận là lừa đảo.
    Đừng liên lạc, đừng chuyển tiền, đừng bấm link. Nếu đã bị lừa, hãy gọi ngay 113.
scam-group-item = { $kind } { $display }

scam-toggle-usage = Cách dùng: /canhbaotudong bat hoặc /canhbaotudong tat
scam-toggle-status-on = Cảnh báo lừa đảo tự động đang <b>BẬT</b> trong nhóm này.
scam-toggle-status-off = Cảnh báo lừa đảo tự động đang <b>TẮT</b> trong nhóm này.
scam-toggle-on = Đã bật cảnh báo lừa đảo tự động: khi có ai gửi số, tài khoản hoặc link đã được công an xác nhận là lừa đảo, tôi sẽ nhắc cả nhóm.
scam-toggle-off = Đã tắt cảnh báo lừa đảo tự động trong nhóm này.
scam-toggle-not-linked = Nhóm này chưa được gắn với khu vực nào, nên chưa dùng được cảnh báo tự động.
scam-toggle-denied = Chỉ công an hoặc người kiểm duyệt của khu vực này mới bật/tắt được cảnh báo.
scam-check-wait = Bạn đã tra cứu nhiều lần trong thời gian ngắn. Vui lòng đợi ít phút (tối đa { $minutes } phút) rồi tra cứu tiếp nhé. Nếu đang bị lừa, hãy gọi ngay 113.
