## Tin báo của người dân (tip-), danh mục (category-), tin của tôi (mytips-)

category-crime = 🚨 Tội phạm (trộm cắp, cướp giật, đánh nhau...)
category-social_evils = 💊 Tệ nạn xã hội (ma túy, cờ bạc, mại dâm)
category-property_fire = 🔥 Tài sản, cháy nổ
category-order = 🚦 Trật tự giao thông, công cộng, đô thị
category-reintegration = 🤝 Đối tượng tái hòa nhập cộng đồng
category-online_fraud = ⚠️ Lừa đảo trực tuyến
category-other = 📌 Việc khác

tip-menu-send = 📝 Gửi tin báo
tip-menu-scam = ⚠️ Báo lừa đảo
tip-command-baotin = Gửi tin báo cho công an
tip-command-canhbaolua = Báo lừa đảo trực tuyến
tip-command-huy = Hủy tin đang soạn
tip-help-baotin = /baotin (/tip) — gửi tin báo cho công an (có thể ẩn danh)
tip-help-canhbaolua = /canhbaolua (/scam) — báo số điện thoại, tài khoản, đường link lừa đảo
tip-help-huy = /huy (/cancel) — hủy tin báo đang soạn

tip-private-only = Để giữ bí mật cho người báo tin, tin báo chỉ gửi qua tin nhắn riêng. Bấm nút dưới đây để nhắn riêng cho tôi, rồi gõ /baotin.
tip-button-open-private = 💬 Nhắn riêng cho bot

tip-ask-category =
    <b>Bước 1.</b> Bạn muốn báo về việc gì?
    Bấm vào một mục bên dưới. Gõ /huy nếu muốn dừng lại.
tip-fraud-intro = ⚠️ Báo lừa đảo trực tuyến. Cảm ơn bạn đã cảnh giác giúp mọi người!
tip-ask-description =
    <b>Mục:</b> { $category }
    Hãy kể lại sự việc: chuyện gì, ở đâu, lúc nào, ai liên quan.
    Bạn có thể gửi thêm ảnh, video, tin nhắn thoại.
    Gửi xong bấm <b>✅ Xong, tiếp tục</b>.
tip-ask-description-more =
    <b>Mục:</b> { $category }
    Đã ghi nhận nội dung{ $count ->
        [0] {""}
       *[other] {" "}và { $count } tệp đính kèm
    }. Bạn có thể gửi thêm chữ, ảnh, video, hoặc bấm <b>✅ Xong, tiếp tục</b>.
tip-button-done = ✅ Xong, tiếp tục
tip-button-cancel = ❌ { action-cancel }
tip-button-skip = ⏭ Bỏ qua
tip-text-received = ✍️ Đã ghi nhận. Bạn có thể viết thêm, gửi ảnh/video, hoặc bấm <b>✅ Xong, tiếp tục</b>.
tip-text-cut = ✂️ Nội dung dài quá nên chỉ giữ { $limit } ký tự đầu. Phần đã giữ vẫn được lưu; nếu cần, hãy gửi phần còn lại ngắn gọn hơn.
tip-attachment-received = 📎 Đã nhận tệp đính kèm (tổng cộng { $count }). Gửi thêm, hoặc bấm <b>✅ Xong, tiếp tục</b>.
tip-album-received = 📎 Đã nhận album ảnh/video. Gửi thêm, hoặc bấm <b>✅ Xong, tiếp tục</b>.
tip-sticker = Nhãn dán (sticker) không được gửi kèm tin báo. Hãy viết chữ hoặc gửi ảnh, video, tin nhắn thoại.
tip-unsupported = Loại nội dung này chưa gửi kèm được. Hãy viết chữ hoặc gửi ảnh, video, tin nhắn thoại, tệp tài liệu.
tip-too-many-attachments = Mỗi tin báo gửi kèm tối đa { $limit } tệp. Các tệp đã gửi vẫn được giữ; hãy bấm <b>✅ Xong, tiếp tục</b>.
tip-empty = Tin báo chưa có nội dung. Hãy viết vài dòng hoặc gửi ảnh trước khi tiếp tục.
tip-empty-text = Tin nhắn này không có chữ nào đọc được. Hãy viết lại bằng chữ thường.

tip-ask-fraud =
    <b>Thông tin kẻ lừa đảo</b> (nếu có):
    số điện thoại, số tài khoản và ngân hàng, đường link, trang web, tài khoản Facebook/Zalo...
    Gõ vào một tin nhắn, hoặc bấm <b>⏭ Bỏ qua</b>.
tip-ask-fraud-pick =
    <b>Tôi hiểu đây là thông tin của kẻ lừa đảo</b> (☑).
    Nếu có số điện thoại hay tài khoản <b>của chính bạn</b>, hãy bấm vào để bỏ chọn (☐): nó chỉ được gửi cho công an, không hiện khi người khác tra cứu.
    Chỉ các mục ☑ mới được báo cho người tra cứu /kiemtra (không kèm tên bạn). Xong thì bấm <b>✅ Đúng vậy, tiếp tục</b>.
tip-pick-on = ☑ { $display } — của kẻ lừa đảo
tip-pick-off = ☐ { $display } — của tôi
tip-button-picks-done = ✅ Đúng vậy, tiếp tục

tip-ask-location =
    <b>Việc xảy ra ở đâu?</b>
    • Bấm <b>📍 Gửi vị trí hiện tại</b> nếu bạn đang ở nơi đó, hoặc
    • gõ địa chỉ (số nhà, ngõ, đường), hoặc
    • bấm <b>⏭ Bỏ qua vị trí</b>.
tip-button-send-location = 📍 Gửi vị trí hiện tại
tip-button-skip-location = ⏭ Bỏ qua vị trí
tip-location-received = 📍 Đã nhận vị trí.
tip-location-skipped = Đã bỏ qua vị trí.
tip-address-received = 🏠 Đã ghi nhận địa chỉ.
tip-address-cut = 🏠 Địa chỉ dài quá nên chỉ giữ { $limit } ký tự đầu.
tip-location-invalid = Vị trí không hợp lệ. Hãy gửi lại vị trí hoặc gõ địa chỉ.

tip-ask-area-home = <b>Việc này thuộc tổ dân phố nào?</b> Lần trước bạn chọn { $name }.
tip-button-home-area = 🏠 { $name }
tip-button-other-area = 🔎 Chọn tổ dân phố khác
tip-ask-area = <b>Việc này thuộc tổ dân phố nào?</b> Bấm để chọn:
tip-area-empty-level = Ở đây chưa có tổ dân phố nào. Bấm "Quay lại" để chọn nơi khác.
tip-area-chosen = ✅ Tổ dân phố: { $name }
tip-area-invalid = Hãy chọn một tổ dân phố trong danh sách.
tip-area-unknown = chưa rõ

tip-ask-anonymous =
    <b>Bạn có muốn giấu tên không?</b>
    Nếu chọn ẩn danh, công an chỉ thấy mã tin báo, không thấy tên hay tài khoản của bạn. Bạn vẫn theo dõi được tin của mình.
tip-button-anonymous = 🙈 Ẩn danh (giấu tên tôi)
tip-button-named = 👤 Cho công an biết tên tôi

tip-summary =
    <b>Kiểm tra lại tin báo</b>
    • Mục: { $category }
    • Nội dung: { $text }
    • Tệp đính kèm: { $attachments }
    • Nơi xảy ra: { $location }
    • Tổ dân phố: { $area }
    • { $anonymous }{ $is_fraud ->
        [yes] {"\u000A"}• Thông tin kẻ lừa đảo: { $fraud }{"\u000A"}• Của kẻ lừa đảo (người khác tra cứu sẽ thấy, không kèm tên bạn): { $given }
       *[no] {""}
    }
    Bấm <b>✅ Gửi tin báo</b> nếu đã đúng.
tip-summary-pin = 📍 có vị trí trên bản đồ
tip-summary-address = { $address }
tip-summary-anonymous = Ẩn danh
tip-summary-named = Cho công an biết tên
tip-none = không có
tip-button-send = ✅ Gửi tin báo
tip-button-edit = ✏️ Sửa
tip-ask-edit = Bạn muốn sửa phần nào?
tip-edit-category = Mục
tip-edit-description = Nội dung (viết lại)
tip-edit-fraud = Thông tin kẻ lừa đảo
tip-edit-location = Nơi xảy ra
tip-edit-area = Tổ dân phố
tip-edit-anonymity = Ẩn danh hay không
tip-button-back-summary = ⬅️ Quay lại bản tóm tắt

tip-submitted =
    ✅ <b>Đã gửi tin báo { $code }</b> ({ $category }).
    Tin đã được lưu và chuyển đến công an phụ trách địa bàn. Bạn sẽ nhận được thông báo khi tin được xử lý. Xem lại bằng lệnh /tincuatoi.
    Hãy giữ mã { $code } nếu cần liên hệ.

    Khi khẩn cấp, hãy gọi ngay: 113 (Công an), 114 (Cứu hỏa), 115 (Cấp cứu).
tip-rate-limited = Bạn đã gửi { $limit } tin báo trong một giờ qua. Để công an kịp xử lý, vui lòng gửi tin tiếp sau khoảng { $minutes } phút. Tin đang soạn vẫn được giữ. Nếu khẩn cấp, hãy gọi 113.

tip-cancelled = Đã hủy tin báo đang soạn. Khi cần, bấm 📝 Gửi tin báo để bắt đầu lại.
tip-nothing-to-cancel = Bạn không có tin báo nào đang soạn.
tip-resume = Bạn có một tin báo đang soạn dở — tiếp tục hay bỏ?
tip-button-resume = ▶️ Tiếp tục tin đang soạn
tip-button-discard = 🗑 Bỏ, viết tin mới
tip-nothing-to-resume = Tin đang soạn không còn nữa. Bấm 📝 Gửi tin báo để bắt đầu.
tip-no-draft = Bạn không có tin báo nào đang soạn. Bấm 📝 Gửi tin báo hoặc gõ /baotin để bắt đầu.
tip-old-button = Nút đó thuộc bước trước. Hãy trả lời câu hỏi dưới đây:
tip-wrong-step = Nút đó thuộc bước trước.
tip-use-buttons = Hãy trả lời câu hỏi bằng các nút bên dưới:
tip-category-unknown = Mục này không còn nữa. Hãy chọn lại.
tip-edit-ignored = Tin đã sửa không được cập nhật vào tin báo. Nếu muốn đổi nội dung, hãy gửi tin nhắn mới; khi xem lại bản tóm tắt có nút ✏️ Sửa.

tip-offer =
    Bạn có muốn gửi nội dung này thành tin báo cho công an không?{ $truncated ->
        [yes] {"\u000A"}(Nội dung dài quá nên chỉ giữ phần đầu.)
       *[no] {""}
    }
tip-button-offer-yes = 📝 Có, gửi thành tin báo
tip-button-offer-no = Không, cảm ơn
tip-offer-declined = Vâng. Khi cần gửi tin báo, bấm 📝 Gửi tin báo. Gõ /help để xem hướng dẫn.
tip-sticker-outside = 👋 Chào bạn! Muốn báo việc gì cho công an, hãy bấm 📝 Gửi tin báo.
tip-media-outside = Muốn gửi vị trí cho công an? Hãy bấm 📝 Gửi tin báo (hoặc gõ /baotin), đến bước "Việc xảy ra ở đâu?" thì gửi vị trí.
tip-media-offer = Bạn có muốn gửi nội dung này cho công an thành một tin báo không? Bấm "Có" để bắt đầu: ảnh, tệp bạn vừa gửi được đính kèm sẵn.

tip-police-header = 🆕 Tin báo mới
tip-police-header-unrouted = ⚠️ Tin báo chưa có công an phụ trách địa bàn — cần phân công
tip-police-new =
    <b>{ $header } { $code }</b>
    • Mục: { $category }
    • Địa bàn: { $area }
    • Thời gian: { $time }
    • Người báo: { $reporter }
    • Địa chỉ: { $address }
    • Vị trí bản đồ: { $pin }
    • Tệp đính kèm: { $attachments }{ $is_fraud ->
        [yes] {"\u000A"}• Thông tin kẻ lừa đảo: { $fraud }
       *[no] {""}
    }

    { $summary }
tip-pin-yes = có (xem ghim bản đồ)
tip-reporter-anonymous = Ẩn danh
tip-action-verify = 🔎 { action-verify }
tip-action-handled = ✅ { action-handled }
tip-action-reject = ✖️ { action-reject }
tip-action-escalate = ⬆️ { action-escalate }
tip-action-reply = 💬 { action-reply }

tip-status-received = 🟡 { status-received }
tip-status-verifying = 🔎 { status-verifying }
tip-status-handled = ✅ { status-handled }
tip-status-rejected = ✖️ { status-rejected }
tip-status-changed =
    🔔 Tin báo <b>{ $code }</b> của bạn: { $status }{ $has_note ->
        [yes] {"\u000A"}Ghi chú của công an: { $note }
       *[no] {""}
    }
tip-status-conflict = Tin { $code } vừa được người khác cập nhật. Hãy mở lại tin để xem trạng thái mới.
tip-status-invalid = Trạng thái không hợp lệ.
tip-status-transition = Không thể chuyển từ "{ $old }" sang "{ $new }".
tip-report-not-found = Không tìm thấy tin báo này.

mytips-menu = 📋 Tin của tôi
mytips-command = Tin báo tôi đã gửi
mytips-help = /tincuatoi (/mytips) — xem các tin báo bạn đã gửi và kết quả xử lý
mytips-empty = Bạn chưa gửi tin báo nào. Bấm 📝 Gửi tin báo để gửi tin đầu tiên.
mytips-list =
    <b>Tin báo của bạn</b> ({ $total } tin, trang { $page }/{ $pages }):
    { $lines }

    Bấm vào một tin để xem chi tiết.
mytips-line = • <b>{ $code }</b> — { $category } — { $status } — { $date }
mytips-button = { $code } · { $status }
mytips-prev = ◀️ Trang trước
mytips-next = Trang sau ▶️
mytips-back = ⬅️ Danh sách tin
mytips-open = 📋 Xem tin báo
mytips-not-found = Không tìm thấy tin báo này trong các tin của bạn.
mytips-detail =
    <b>Tin báo { $code }</b>
    • Mục: { $category }
    • Trạng thái: { $status }
    • Gửi lúc: { $date }
    • Tổ dân phố: { $area }
    • { $anonymous }
    • Tệp đính kèm: { $attachments }
    • Nội dung: { $text }

    <b>Quá trình xử lý</b>
    { $history }
mytips-history-line = { $date }: { $status }{ $has_note ->
        [yes] {" "}— { $note }
       *[no] {""}
    }
tips-ward-flood = ⚠️ { $area }: hơn { $count } tin báo trong { $minutes } phút qua, từ nhiều tài khoản. Có thể ai đó đang gửi tin hàng loạt. Mọi tin vẫn được lưu và chuyển như thường; hãy xem /hopthu.
