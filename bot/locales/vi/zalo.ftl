## Kênh Zalo (zalo-): lựa chọn bằng số thay cho nút bấm, liên kết tài khoản Telegram và Zalo

zalo-or = hoặc
zalo-choose = 👉 Trả lời { $numbers } để chọn.
zalo-choice-cancel = ❌ { action-cancel }
zalo-choice-start-tip = 📝 Gửi tin báo
zalo-choice-unknown = Không có lựa chọn số { $number }. Hãy trả lời một trong các số ở tin nhắn gần nhất, hoặc gõ "help" để xem hướng dẫn.
zalo-old-choice = Lựa chọn đó thuộc bước trước. Hãy trả lời câu hỏi dưới đây:
zalo-use-numbers = Hãy trả lời bằng một trong các số bên dưới.
zalo-open-link = Mở đường link này: { $url }
zalo-media-hidden = (Kèm { $count } ảnh/tệp — chỉ xem được trên Telegram.)
zalo-location = 📍 Vị trí trên bản đồ: https://maps.google.com/?q={ $lat },{ $lon }

zalo-help =
    👋 Chào bạn! Đây là kênh an ninh của công an phường trên Zalo.
    Gõ một trong các lệnh sau:
    • baotin — gửi tin báo cho công an (có thể ẩn danh)
    • canhbaolua — báo số điện thoại, tài khoản, đường link lừa đảo
    • tincuatoi — xem các tin bạn đã gửi và kết quả xử lý
    • kiemtra 0912 345 678 — kiểm tra số điện thoại, tài khoản, link có bị báo lừa đảo chưa
    • khuvuc — chọn tổ dân phố nơi bạn ở
    • dangky — nhận khuyến cáo của công an qua tin nhắn riêng (huydangky để dừng)
    • lienket — liên kết với tài khoản Telegram của bạn
    • huy — hủy tin đang soạn
    Khi khẩn cấp, hãy gọi ngay: 113 (Công an), 114 (Cứu hỏa), 115 (Cấp cứu).
zalo-group-hint =
    Để giữ bí mật cho người báo tin, tin báo chỉ gửi qua tin nhắn riêng: hãy nhắn riêng cho tôi và gõ "baotin".
    Trong nhóm, bạn có thể nhắc tên tôi kèm "kiemtra" và số điện thoại, số tài khoản hoặc link để kiểm tra lừa đảo.
zalo-group-coming-soon = Chưa dùng được nhóm Zalo: Zalo Bot Platform ghi tính năng nhóm cho bot là "sắp ra mắt" (đang thử nghiệm nội bộ). Muốn thử, đặt ZALO_GROUPS_ENABLED=true.
zalo-group-unseen = Bot chưa thấy nhóm Zalo này. Hãy nhắc tên bot trong nhóm một lần (gõ @ rồi chọn tên bot), sau đó liên kết lại; mã của nhóm có trong "anninh admin chats".
zalo-photo-outside = Muốn gửi ảnh cho công an? Hãy bắt đầu một tin báo rồi gửi lại ảnh.
zalo-photo-wrong-step = Ảnh chỉ gửi kèm ở bước kể lại sự việc. Hãy trả lời câu hỏi dưới đây:
zalo-check-usage =
    Hãy gõ kèm thứ cần kiểm tra, ví dụ:
    kiemtra 0912 345 678
    kiemtra Vietcombank 0123456789
    kiemtra vcb-hotro.com

zalo-offer =
    Bạn có muốn gửi nội dung này thành tin báo cho công an không?{ $truncated ->
        [yes] {"\u000A"}(Nội dung dài quá nên chỉ giữ phần đầu.)
       *[no] {""}
    }
zalo-offer-declined = Vâng. Khi cần gửi tin báo, hãy gõ "baotin". Gõ "help" để xem hướng dẫn.
zalo-cancelled = Đã hủy. Khi cần, gõ "baotin" để bắt đầu lại.

zalo-ask-category =
    Bước 1. Bạn muốn báo về việc gì?
zalo-ask-description =
    Mục: { $category }
    Hãy kể lại sự việc: chuyện gì, ở đâu, lúc nào, ai liên quan. Bạn có thể gửi thêm ảnh.
    Gửi xong, trả lời 1 để tiếp tục.
zalo-ask-description-more =
    Mục: { $category }
    Đã ghi nhận nội dung{ $count ->
        [0] {""}
       *[other] {" "}và { $count } ảnh
    }. Bạn có thể gửi thêm chữ hoặc ảnh, hoặc trả lời 1 để tiếp tục.
zalo-text-received = ✍️ Đã ghi nhận. Bạn có thể viết thêm, gửi ảnh, hoặc trả lời 1 để tiếp tục.
zalo-photo-received = 📎 Đã nhận ảnh (tổng cộng { $count }). Gửi thêm, hoặc trả lời 1 để tiếp tục.
zalo-ask-fraud =
    Thông tin kẻ lừa đảo (nếu có): số điện thoại, số tài khoản và ngân hàng, đường link, tài khoản Facebook/Zalo...
    Gõ vào một tin nhắn, hoặc trả lời 1 để bỏ qua.
zalo-ask-fraud-pick =
    Tôi hiểu đây là thông tin của kẻ lừa đảo (☑).
    Nếu có số điện thoại hay tài khoản của chính bạn, hãy trả lời số của nó để bỏ chọn (☐): nó chỉ được gửi cho công an, không hiện khi người khác tra cứu.
zalo-ask-location =
    Việc xảy ra ở đâu?
    • Gõ địa chỉ (số nhà, ngõ, đường), hoặc
    • dán đường link Google Maps, hoặc tọa độ như 20.4387, 106.1621, hoặc
    • trả lời 1 để bỏ qua.
zalo-ask-area = Việc này thuộc tổ dân phố nào? { $place }
zalo-area-option = { $name }
zalo-area-up = ⬅️ Quay lại
zalo-summary =
    Kiểm tra lại tin báo
    • Mục: { $category }
    • Nội dung: { $text }
    • Ảnh đính kèm: { $attachments }
    • Nơi xảy ra: { $location }
    • Tổ dân phố: { $area }
    • { $anonymous }{ $is_fraud ->
        [yes] {"\u000A"}• Thông tin kẻ lừa đảo: { $fraud }{"\u000A"}• Của kẻ lừa đảo (người khác tra cứu sẽ thấy, không kèm tên bạn): { $given }
       *[no] {""}
    }
zalo-tip-submitted =
    ✅ Đã gửi tin báo { $code } ({ $category }).
    Tin đã được lưu và chuyển đến công an phụ trách địa bàn. Bạn sẽ nhận được tin nhắn khi tin được xử lý. Xem lại bằng cách gõ "tincuatoi".
    Hãy giữ mã { $code } nếu cần liên hệ.

    Khi khẩn cấp, hãy gọi ngay: 113 (Công an), 114 (Cứu hỏa), 115 (Cấp cứu).

zalo-mytips-empty = Bạn chưa gửi tin báo nào. Gõ "baotin" để gửi tin đầu tiên.
zalo-mytips-list =
    Tin báo của bạn ({ $total } tin, trang { $page }/{ $pages }):
    { $lines }
zalo-relay-answer-prompt = ✍️ Hãy gõ câu trả lời cho công an về tin { $code } (có thể gửi kèm ảnh). Công an không thấy tên hay tài khoản Zalo của bạn.

zalo-area-current = Bạn đang ở: { $place }. Muốn đổi, hãy chọn bên dưới.
zalo-home-set =
    ✅ Đã ghi nhận: bạn ở { $place }.
    Muốn nhận khuyến cáo của công an qua tin nhắn riêng, gõ "dangky".

zalo-link-command = Liên kết với tài khoản Zalo
zalo-link-help = /lienkettaikhoan (/linkaccount) — liên kết tài khoản Telegram với Zalo để xem tin báo ở cả hai nơi
zalo-link-code-telegram =
    🔗 Mã liên kết của bạn: <b>{ $code }</b> (dùng được trong { $minutes } phút).
    Mở Zalo, nhắn cho bot an ninh: <b>lienket { $code }</b>
    Không đưa mã này cho ai khác.
zalo-link-code-zalo =
    🔗 Mã liên kết của bạn: { $code } (dùng được trong { $minutes } phút).
    Mở Telegram, nhắn cho bot an ninh: /lienkettaikhoan { $code }
    Không đưa mã này cho ai khác.
zalo-link-done = ✅ Đã liên kết tài khoản Telegram và Zalo ({ $name }). Tin báo của bạn xem được ở cả hai nơi.
zalo-link-bad-code = Mã liên kết không đúng hoặc đã hết hạn. Hãy lấy mã mới (gõ "lienket" trên Zalo hoặc /lienkettaikhoan trên Telegram) rồi thử lại.
zalo-link-same-channel = Mã này phải nhập ở ứng dụng còn lại: mã lấy trên Telegram thì nhập trên Zalo, và ngược lại.
zalo-link-already = Tài khoản này đã được liên kết trước đó.
zalo-link-too-many = Bạn đã nhập sai mã nhiều lần. Vui lòng đợi { $minutes } phút rồi thử lại.
zalo-link-wrong-channel = Không liên kết được từ kênh này.

## Bản Zalo của vài tin nhắn viết cho Telegram (zalo-via-<khóa gốc>)
zalo-via-relay-question =
    ❓ Công an { $unit } hỏi về tin { $code }:
    { $text }
zalo-link-confirm-claim =
    Mã này là của tài khoản { $channel } «{ $name }».
    Liên kết tài khoản này với tài khoản đó thành một người (tin báo, khu vực, đăng ký dùng chung)? Chỉ xác nhận nếu cả hai tài khoản đều là của bạn; nếu ai đó nhờ bạn nhập mã này, hãy bấm Hủy.
zalo-link-confirm-owner =
    Tài khoản { $channel } «{ $name }» vừa nhập mã liên kết của bạn.
    Liên kết hai tài khoản thành một người? Nếu đó không phải là bạn, hãy bấm Hủy.
zalo-link-waiting = Đã ghi nhận. Hãy xác nhận lần cuối trên { $channel } (tin nhắn vừa gửi tới tài khoản đó).
zalo-link-cancelled = Đã hủy yêu cầu liên kết tài khoản. Không có gì thay đổi.
zalo-link-button-yes = ✅ Xác nhận, đúng là tôi
zalo-link-button-no = ❌ Hủy
