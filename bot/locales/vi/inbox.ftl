## Hộp thư của công an: danh sách tin báo, thẻ tin, nút xử lý, hỏi đáp ẩn danh, kiểm duyệt tin

inbox-menu = 📥 Hộp thư
inbox-command = Hộp thư tin báo (công an)
inbox-help = /hopthu — hộp thư tin báo của địa bàn (công an); /hopthu TB-… mở một tin
inbox-not-police = Hộp thư chỉ dành cho cảnh sát khu vực.
inbox-wrong-chat = Tin báo chỉ được mở trong tin nhắn riêng với bot hoặc trong nhóm làm việc của công an phụ trách địa bàn đó.
inbox-title = 📥 <b>Hộp thư tin báo</b>
inbox-list =
    { $title }
    Lọc: { $status } · { $category }
    Trang { $page }/{ $pages } — { $total } tin

    { $lines }
inbox-empty =
    { $title }
    Lọc: { $status } · { $category }

    Không có tin báo nào.
inbox-line =
    { $n }. <b>{ $code }</b> · { $category } · { $status }{ $review }
       { $area } · { $time }
       { $summary }
inbox-review-mark = · ⚠️ cần kiểm duyệt
inbox-review-rejected-mark = · ✖️ người kiểm duyệt đã đóng
inbox-filter-all = Tất cả
inbox-filter-category-all = mọi loại
inbox-button-status = { $mark }{ $label }
inbox-button-category = 🗂 Loại: { $category } ▸
inbox-button-open = { $n }. { $code }
inbox-button-prev = ◀ Trang trước
inbox-button-next = Trang sau ▶
inbox-card =
    📄 <b>{ $code }</b> — { $category }{ $review }
    Trạng thái: { $status }{ $moderation }
    Địa bàn: { $area }
    Thời gian: { $time }
    Địa chỉ: { $address }
    Người báo: { $reporter }
    { $media }
    <b>Nội dung:</b>
    { $text }{ $fraud }{ $indicators }

    <b>Quá trình xử lý:</b>
    { $history }{ $relay }
inbox-card-fraud =
    {"\u000A"}{"\u000A"}<b>Thông tin kẻ lừa đảo:</b> { $details }
inbox-card-indicators =
    {"\u000A"}{"\u000A"}<b>Số, tài khoản, link trong tin:</b>
    { $lines }
inbox-card-indicator = • { $display } — { $state ->
        [confirmed] ✅ công an đã xác nhận là lừa đảo
        [given] người báo nói là của kẻ lừa đảo
       *[private] chỉ thấy trong nội dung, có thể là của người bị hại (không công khai)
    }
inbox-card-media = 📎 Ảnh, tệp và vị trí của tin { $code } (ở trên).
inbox-card-media-line = 📎 { $count } tệp đính kèm{ $pin }
inbox-card-media-pin = , 📍 có vị trí trên bản đồ
inbox-card-no-media = 📎 Không có ảnh, tệp
inbox-card-anonymous = ẩn danh
inbox-card-none = không có
inbox-card-area-unknown = chưa rõ
inbox-history-line = • { $time } — { $status }{ $who }{ $note }
inbox-history-who = , { $name }
inbox-history-note = : “{ $note }”
inbox-card-relay =
    {"\u000A"}{"\u000A"}<b>Hỏi đáp với người báo:</b>
    { $lines }
inbox-relay-line-question = ❓ { $time } Công an hỏi: { $text }
inbox-relay-line-answer = 💬 { $time } Người báo trả lời: { $text }
inbox-relay-photo = [ảnh]
inbox-code-not-found = Không tìm thấy tin báo mã { $code }.

tipact-button-verify = 🔎 { action-verify }
tipact-button-handled = ✅ { action-handled }
tipact-button-reject = ✖️ { action-reject }
tipact-button-escalate = ⬆️ { action-escalate }
tipact-button-reply = 💬 { action-reply }
tipact-button-scam = 🚫 { action-scam }
tipact-button-review = 🛡 { action-review }
tipact-button-helpful = ⭐ Tin có giá trị (cảm ơn người báo)
tipact-button-restore = ↩️ { action-restore }
tipact-button-nonote = Không ghi chú
tipact-button-cancel = { action-cancel }
tipact-ask-note =
    Tin <b>{ $code }</b>: hãy gõ kết quả xử lý (người báo sẽ đọc được ghi chú này).
    Hoặc bấm "Không ghi chú".
tipact-ask-reason =
    Tin <b>{ $code }</b>: hãy gõ lý do không xác thực (người báo sẽ đọc được, xin viết nhẹ nhàng).
tipact-ask-question =
    Tin <b>{ $code }</b>: hãy gõ câu hỏi cho người báo (có thể gửi kèm ảnh).
    Người báo chỉ thấy tên đơn vị (Công an phường) và mã tin, không thấy tài khoản của bạn.
tipact-done = { $code } → { $status } ({ $officer })
tipact-done-verify = Tin { $code } chuyển sang “{ status-verifying }”.
tipact-done-handled = Tin { $code } chuyển sang “{ status-handled }”.
tipact-done-nonote = { tipact-done-handled }
tipact-done-reject = Tin { $code } chuyển sang “{ status-rejected }”.
tipact-done-escalate = Đã chuyển tin { $code } lên cấp trên.
tipact-done-review = Đã chuyển tin { $code } cho người kiểm duyệt.
tipact-done-restore = Đã khôi phục tin { $code }.
tipact-done-scam = Đã xác nhận lừa đảo các số, tài khoản, link của tin { $code }.
tipact-done-helpful = Đã cảm ơn người báo tin { $code }.
tipact-escalated = { $code } đã chuyển lên { $area } ({ $officer })
tipact-review-queued = { $code } đã được chuyển kiểm duyệt.
tipact-cancelled = Đã hủy.
tipact-note-empty = Ghi chú cần có chữ. Hãy gõ lại, hoặc bấm "Không ghi chú".
relay-input-taken = Tin nhắn trước của bạn đã được nhận cho việc này, tin này không được chuyển đi.
tipact-already = Tin { $code } đã được { $officer } xử lý ({ $status }). Hãy mở lại hộp thư để xem.
tipact-someone = cán bộ khác
tipact-not-found = Không tìm thấy tin báo này.
tipact-denied = Bạn không có quyền xử lý tin báo này (tin thuộc địa bàn khác).
tipact-unknown = Thao tác không hợp lệ.
tipact-scam-choose =
    <b>{ $code }</b>: xác nhận <b>từng</b> số, tài khoản, link là của kẻ lừa đảo. Đừng xác nhận số, tài khoản của người bị hại: người dân tra /kiemtra sẽ thấy "Công an đã xác nhận".
    { $lines }
tipact-scam-confirm-one = 🚫 Xác nhận: { $display }
tipact-scam-unconfirm-one = ↩️ Bỏ xác nhận: { $display }
tipact-indicator-not-on-tip = Tin này không có số, tài khoản hay link đó.
tipact-not-fraud = Tin này không phải tin báo lừa đảo.
tipact-no-indicators = Tin này không có số điện thoại, tài khoản hay đường link nào để xác nhận.
tipact-already-in-review = Tin này đang chờ kiểm duyệt.
tipact-review-police-only = Tin thuộc lĩnh vực "{ $category }" chỉ công an xem, không chuyển cho người kiểm duyệt.
tipact-restored = ↩️ Đã khôi phục tin { $code }: tin được mở lại để xác minh, người báo được báo lại.
tipact-restore-not-review = Tin { $code } không do người kiểm duyệt đóng nên không có gì để khôi phục.
inbox-card-review-closed = ✖️ Người kiểm duyệt { $name } đã { $how ->
        [merge] gộp tin này vào một tin trùng
       *[other] từ chối tin này
    } lúc { $time }. Bấm "Khôi phục tin" nếu tin cần được xử lý.
tipact-no-parent = Địa bàn này không có cấp trên để chuyển.
tipact-escalated-police =
    ⬆️ <b>Tin báo { $code }</b> được chuyển lên từ { $from_area }
    • Mục: { $category }
    • Địa bàn mới: { $to_area }
    { $summary }
tipact-reporter-escalated = 🔔 Tin báo <b>{ $code }</b> của bạn đã được chuyển lên { $area } để xử lý. Cảm ơn bạn!

relay-question =
    ❓ Công an { $unit } hỏi về tin <b>{ $code }</b>:
    { $text }

    Để trả lời, bấm nút "Trả lời" bên dưới (hoặc bấm giữ tin nhắn này, chọn "Trả lời" rồi gõ).
relay-button-answer = ✍️ Trả lời
relay-answer =
    💬 Người báo trả lời về tin <b>{ $code }</b>:
    { $text }

    (Trả lời tin nhắn này để hỏi tiếp.)
relay-ask-answer = Hãy gõ câu trả lời về tin <b>{ $code }</b> (có thể gửi kèm ảnh).
relay-question-sent = Đã chuyển câu hỏi đến người báo tin { $code }. Câu trả lời sẽ đến đây.
relay-answer-sent = Đã gửi câu trả lời của bạn về tin { $code }. Cảm ơn bạn!
relay-question-queued = Chưa chuyển được câu hỏi đến người báo tin { $code } ngay lúc này; bot sẽ tự gửi lại. Câu trả lời sẽ đến đây.
relay-undelivered = Không gửi được câu hỏi đến người báo tin { $code } (có thể họ đã chặn bot).
relay-answer-queued = Đã nhận câu trả lời về tin { $code }; công an chưa nhận được ngay lúc này, bot sẽ tự gửi lại. Bạn không cần gửi lại.
relay-answer-undelivered = Chưa gửi được câu trả lời về tin { $code }. Vui lòng thử lại sau ít phút.
relay-no-reporter = Không liên lạc được với người báo tin { $code }.
relay-unit-unknown = phường
relay-photo-only = (ảnh)
relay-empty = Tin nhắn trống. Hãy gõ nội dung hoặc gửi ảnh.
relay-denied = Bạn không thể trả lời câu hỏi này.
relay-question-missing = Không tìm thấy câu hỏi này nữa.

inbox-review-card =
    🛡 <b>Kiểm duyệt tin báo { $code }</b>
    Địa bàn: { $area }
    Lý do: { $reasons }
    Có thể trùng với: { $duplicate }

    { $text }
inbox-review-rule-first_tip = người báo lần đầu
inbox-review-rule-flood = một người gửi nhiều tin liền
inbox-review-rule-many_links = nhiều đường link
inbox-review-rule-near_duplicate = giống một tin đang mở
inbox-review-rule-same_indicators = trùng số/tài khoản với tin khác
inbox-review-rule-officer = cán bộ đề nghị kiểm duyệt
inbox-review-rule-list = { $first }; { $rest }
inbox-review-none = không
inbox-review-area-unknown = chưa rõ
inbox-review-button-approve = ✅ Hợp lệ
inbox-review-button-reject = ✖️ Từ chối
inbox-review-button-merge = 🔗 Gộp tin trùng
inbox-review-button-escalate = ⬆️ Chuyển cấp trên
inbox-review-note-rejected = Tin chưa đủ thông tin để xử lý. Cảm ơn bạn đã quan tâm.
inbox-review-note-duplicate = trùng với { $code }
inbox-review-reporter-rejected =
    🔔 Tin báo <b>{ $code }</b> của bạn chưa đủ thông tin để công an xử lý, nên đã được đóng lại.
    Cảm ơn bạn đã quan tâm đến an ninh khu phố. Nếu có thêm thông tin, bạn cứ gửi tin mới nhé.
inbox-review-reporter-merged =
    🔔 Tin báo <b>{ $code }</b> của bạn trùng với tin <b>{ $kept }</b> mà công an đang xử lý, nên được gộp vào tin đó.
    Cảm ơn bạn đã báo tin!
inbox-review-merge-no-target = Không biết tin này trùng với tin nào, nên không gộp được.
inbox-review-report-closed = Tin { $code } đã được xử lý xong, không thể thay đổi nữa.
inbox-review-report-missing = Không tìm thấy tin báo này.
relay-answer-wait = Bạn đã gửi nhiều câu trả lời cho tin { $code } trong một giờ. Công an đã nhận được; vui lòng đợi tối đa { $minutes } phút rồi gửi tiếp, hoặc gửi tin báo mới nếu có việc khác.

# Tip cards redrawn when a tip changes (services/tip_cards.py)
tipcard-body = { $body }
tipcard-moved = Tin { $code } đã chuyển khỏi địa bàn của bạn; thẻ này không còn được cập nhật.
