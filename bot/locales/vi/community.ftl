## Cộng đồng: mã QR theo khu vực, danh bạ liên hệ, thủ tục hay hỏi, lời cảm ơn

## --- Mã QR và khu vực của người dân (onb-) ---

onb-poster-header = AN NINH KHU DÂN CƯ
onb-poster-scan = Quét mã để kết nối với Công an phường
onb-poster-feature-1 = • Gửi tin báo về an ninh trật tự, có thể ẩn danh
onb-poster-feature-2 = • Kiểm tra số điện thoại, tài khoản, đường link lừa đảo
onb-poster-feature-3 = • Nhận khuyến cáo và số điện thoại cảnh sát khu vực
onb-poster-emergency = Khẩn cấp: 113 Công an · 114 Cứu hỏa · 115 Cấp cứu
onb-poster-footer = Mã khu vực: { $code }

onb-button-yes = ✅ Đúng, tôi ở đây
onb-button-no = ✖️ Không phải
onb-button-subscribe = 🔔 Nhận khuyến cáo qua tin nhắn riêng
onb-button-contacts = ☎️ Số điện thoại cần biết
onb-button-choose = 📍 Chọn tổ dân phố của tôi

onb-unknown-code =
    Mã khu vực "{ $code }" không có trong hệ thống (có thể mã QR đã cũ hoặc bị in sai).
    Bạn có thể tự chọn tổ dân phố bằng lệnh /khuvuc.
onb-confirm =
    Mã QR bạn vừa quét là của:
    <b>{ $place }</b>

    Đây có phải nơi bạn đang ở không?
onb-home-set =
    ✅ Đã ghi nhận: bạn ở <b>{ $place }</b>.
    Tin báo và khuyến cáo sẽ gắn với khu vực này. Muốn đổi, gõ /khuvuc.
onb-home-set-moved =
    ✅ Đã ghi nhận: bạn ở <b>{ $place }</b>.
    Khuyến cáo qua tin nhắn riêng của bạn cũng đã chuyển sang khu vực mới. Muốn đổi, gõ /khuvuc.
onb-choose-prompt = Chọn phường, xã rồi chọn tổ dân phố, thôn, xóm nơi bạn ở:
onb-area-none =
    Bạn chưa chọn tổ dân phố.
    Chọn phường, xã rồi chọn tổ dân phố, thôn, xóm nơi bạn ở:
onb-area-current =
    Bạn đang ở: <b>{ $place }</b>.
    Muốn đổi, hãy chọn phường, xã rồi chọn tổ dân phố mới:
onb-area-gone = Khu vực này không còn trong hệ thống. Hãy chọn lại bằng /khuvuc.
onb-need-area = Bạn chưa chọn tổ dân phố. Hãy chọn trước (bấm nút dưới đây hoặc gõ /khuvuc).
onb-subscribed =
    🔔 Đã đăng ký. Khuyến cáo của công an cho <b>{ $place }</b> sẽ được gửi riêng cho bạn.
    Muốn dừng, gõ /huydangky.
onb-already-subscribed = Bạn đã đăng ký nhận khuyến cáo của <b>{ $place }</b> rồi. Muốn dừng, gõ /huydangky.
onb-unsubscribed = 🔕 Đã dừng gửi khuyến cáo qua tin nhắn riêng. Muốn nhận lại, gõ /dangky.
onb-not-subscribed = Bạn chưa đăng ký nhận khuyến cáo qua tin nhắn riêng. Muốn nhận, gõ /dangky.

onb-qr-usage =
    Gõ /qr kèm mã khu vực để lấy áp phích mã QR, ví dụ: /qr { $codes }
    Mã phường cho ra một áp phích cho mỗi tổ dân phố.
onb-qr-sending = Đang tạo { $count } áp phích mã QR…
onb-qr-caption =
    <b>{ $place }</b>
    { $link }
onb-qr-caption-pdf = { $count } áp phích mã QR, mỗi trang một tổ dân phố. In khổ A4.
onb-qr-too-many = Khu vực này có { $count } tổ dân phố, quá nhiều để gửi qua tin nhắn (tối đa { $limit }). Hãy chọn từng phường, hoặc nhờ quản trị viên chạy lệnh "anninh admin qr".
onb-qr-not-yours = Bạn không phụ trách khu vực { $code }, nên không lấy được mã QR của khu vực này.
onb-qr-too-many-cli = Có { $count } khu vực, vượt giới hạn { $limit }. Hãy chọn khu vực nhỏ hơn.

onb-command-area = Chọn tổ dân phố của bạn
onb-command-subscribe = Nhận khuyến cáo qua tin nhắn riêng
onb-help-area = /khuvuc — chọn hoặc đổi tổ dân phố, thôn, xóm của bạn
onb-help-subscribe = /dangky, /huydangky — bật, tắt khuyến cáo qua tin nhắn riêng

## --- Số điện thoại cần biết (contact-) ---

contact-button = ☎️ Liên hệ
contact-button-tip = 📝 Gửi tin báo ngay
contact-command = Số điện thoại công an khu vực
contact-help = /lienhe — số điện thoại trực ban, cảnh sát khu vực của bạn

contact-card =
    ☎️ <b>Liên hệ — { $place }</b>

    { $duty }
    { $officer }

    🚨 Khẩn cấp (miễn phí, 24/7): <b>113</b> Công an · <b>114</b> Cứu hỏa · <b>115</b> Cấp cứu
contact-duty-line = 🏢 Trực ban Công an { $area }: <b>{ $phone }</b>
contact-duty-missing = 🏢 Trực ban công an phường: chưa cập nhật (khẩn cấp gọi 113).
contact-officer-line = 👮 Cảnh sát khu vực phụ trách: { $person }
contact-officer-missing = 👮 Cảnh sát khu vực phụ trách: chưa cập nhật.
contact-person = { $has_rank ->
        [yes] { $rank } { $name }
       *[no] { $name }
    } — <b>{ $phone }</b>
contact-need-area = Bạn chưa chọn tổ dân phố nên tôi chưa biết số của công an khu vực bạn. Hãy nhắn riêng cho tôi lệnh /khuvuc để chọn.

contact-role-duty = trực ban
contact-role-officer = cảnh sát khu vực phụ trách
contact-set-usage =
    Cập nhật số điện thoại cho người dân: gõ /capnhatlienhe, xuống dòng, rồi ghi từng mục:
    <code>/capnhatlienhe
    khu vực: { $code }
    vai trò: cán bộ
    tên: Trần Văn Hùng
    cấp bậc: Thượng úy
    sđt: 0912 345 678</code>

    Vai trò: "cán bộ" (cảnh sát khu vực phụ trách tổ dân phố) hoặc "trực ban" (số trực ban của phường, ghi mã phường).
contact-saved =
    ✅ Đã cập nhật { $role } cho <b>{ $area }</b>:
    { $rank } { $name } — { $phone }
contact-role-invalid = Vai trò "{ $role }" không hợp lệ. Ghi "cán bộ" (cảnh sát khu vực) hoặc "trực ban".
contact-form-line = Dòng "{ $line }" thiếu dấu hai chấm. Mỗi dòng ghi theo mẫu "tên mục: nội dung".
contact-form-key = Không hiểu mục "{ $key }". Dùng: khu vực, vai trò, tên, cấp bậc, sđt.
contact-too-long = Tên hoặc cấp bậc quá dài (tối đa { $limit } ký tự).
contact-name-required = Hãy ghi tên cán bộ (mục "tên: …").
contact-phone-invalid = Số điện thoại "{ $phone }" không hợp lệ. Ví dụ đúng: 0912 345 678 hoặc 0228 3636 113.
contact-not-yours = Bạn không phụ trách khu vực { $code }, nên không cập nhật được số liên hệ ở đó.

## --- Thủ tục hay hỏi (faq-) ---

faq-button = 📚 Thủ tục
faq-button-more = 📚 Các thủ tục khác
faq-button-tip = 📝 Gửi tin báo
faq-button-not-it = Không đúng ý bạn? Gửi tin báo
faq-command = Thủ tục hay hỏi (tạm trú, mất giấy tờ…)
faq-help = /thutuc — giải đáp thủ tục: tạm trú, tạm vắng, mất giấy tờ, lừa đảo, cháy nổ…

faq-topics = 📚 <b>Thủ tục hay hỏi.</b> Chọn một câu hỏi, hoặc gõ câu hỏi của bạn:
faq-answer =
    <b>{ $question }</b>

    { $answer }
faq-search-results = Tôi tìm thấy các câu hỏi này, bạn chọn câu gần đúng nhất:
faq-search-none = Chưa có câu trả lời cho "{ $query }". Đây là các thủ tục hay hỏi:
faq-empty = Chưa có câu hỏi nào. Bạn có thể hỏi trực tiếp Công an phường.
faq-not-found = Câu hỏi này không còn nữa. Gõ /thutuc để xem các câu khác.

faq-edit-usage =
    Sửa hoặc thêm câu hỏi: gõ /suathutuc, xuống dòng, rồi ghi từng mục (câu trả lời có thể nhiều dòng):
    <code>/suathutuc
    mã: tam-tru
    câu hỏi: Đăng ký tạm trú ở đâu?
    trả lời: Làm trên VNeID hoặc tại Công an phường…
    từ khóa: tạm trú, ở trọ, thuê trọ
    hiện: có</code>

    Thêm tiếng Anh bằng "question en:" và "answer en:"; ẩn câu hỏi bằng "hiện: không".
    Mã hiện có: { $slugs }
faq-created = ✅ Đã thêm câu hỏi { $slug }: { $question }
faq-updated = ✅ Đã cập nhật câu hỏi { $slug }: { $question }
faq-form-line = Dòng "{ $line }" chưa rõ thuộc mục nào. Bắt đầu bằng "mã: …", "câu hỏi: …", "trả lời: …".
faq-position-invalid = Thứ tự "{ $value }" phải là một số.
faq-active-invalid = Mục "hiện" chỉ nhận "có" hoặc "không" (bạn ghi "{ $value }").
faq-too-long = Nội dung quá dài (tối đa { $limit } ký tự).
faq-slug-invalid = Mã "{ $slug }" không hợp lệ: dùng chữ không dấu, số và dấu gạch ngang, ví dụ tam-tru.
faq-slug-missing = Hãy ghi mã câu hỏi (mục "mã: …"), ví dụ "mã: tam-tru".
faq-new-needs-text = Câu hỏi mới { $slug } cần có cả "câu hỏi:" và "trả lời:".
faq-csv-header = Tệp CSV thiếu cột: { $columns } (cần slug,question_vi,answer_vi; có thể thêm question_en,answer_en,keywords,position,active).
faq-csv-row = Dòng { $line }: { $problem }

## --- Lời cảm ơn (thanks-) ---

thanks-private =
    🙏 Công an phường cảm ơn bạn! Tin báo { $code } của bạn đã giúp ích cho công tác bảo đảm an ninh trật tự.
    Danh tính của bạn được giữ kín. Mong bạn tiếp tục đồng hành cùng công an.
thanks-public =
    🙏 Công an phường cảm ơn bà con { $area } đã cung cấp { $count } tin báo có giá trị trong tháng { $period }.
    Mỗi tin báo góp phần giữ bình yên cho khu phố. Danh tính người báo tin luôn được giữ bí mật.
    Gửi tin báo: nhắn riêng cho bot, gõ /baotin. Khẩn cấp gọi 113.
thanks-usage = Gõ /camon kèm mã tin báo có giá trị, ví dụ: /camon TB-2611-0123. Người báo tin sẽ nhận lời cảm ơn riêng, danh tính vẫn được giữ kín.
thanks-code-invalid = Mã tin báo không hợp lệ.
thanks-report-not-found = Không có tin báo mã { $code }.
thanks-not-yours = Tin báo { $code } không thuộc địa bàn bạn phụ trách.
thanks-area-not-yours = Bạn không phụ trách khu vực { $code }.
thanks-nothing-yet = Tháng này chưa có tin báo nào ở { $area } được đánh dấu có giá trị (dùng /camon mã tin).
thanks-already = Tin báo { $code } đã được cảm ơn trước đó.
thanks-done = ✅ Đã ghi nhận tin báo { $code } có giá trị và gửi lời cảm ơn riêng đến người báo tin.
thanks-done-unreachable = ✅ Đã ghi nhận tin báo { $code } có giá trị. Người báo tin hiện không nhận được tin nhắn nên chưa gửi được lời cảm ơn.
thanks-publish-usage = Gõ /loicamon kèm mã khu vực để gửi lời cảm ơn chung của tháng đến các nhóm cư dân, ví dụ: /loicamon { $codes }
thanks-published = ✅ Đã gửi lời cảm ơn ({ $count } tin báo có giá trị) đến { $groups } nhóm cư dân của { $area }.{ $later ->
        [0] {""}
       *[other] {" "}Còn { $later } nhóm chưa nhận được ngay: hệ thống sẽ tự gửi lại.
    }
thanks-published-later = ⏳ Khu vực { $area } có { $count } tin báo có giá trị. Lời cảm ơn chưa gửi được ngay đến { $later } nhóm cư dân: hệ thống sẽ tự gửi lại.
thanks-published-nowhere = Khu vực { $area } có { $count } tin báo có giá trị nhưng chưa có nhóm cư dân nào nhận được lời cảm ơn ({ $failed } nhóm lỗi).
