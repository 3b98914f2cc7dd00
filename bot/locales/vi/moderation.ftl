## Nhóm: liên kết địa bàn, cài đặt, cấp quyền

group-link-usage =
    Cách dùng: /lienket &lt;mã địa bàn&gt; [canhsat|dan]
    • canhsat — nhóm làm việc của công an địa bàn (tin báo mới gửi về đây)
    • dan — nhóm của người dân (khuyến cáo gửi về đây), mặc định
group-linked = Đã liên kết nhóm này với { $area } ({ $code }) — { $purpose }.
group-purpose =
    { $purpose ->
        [police] nhóm làm việc của công an
        [residents] nhóm người dân
       *[other] { $purpose }
    }
group-purpose-invalid = Loại nhóm "{ $purpose }" không hợp lệ. Dùng: canhsat hoặc dan.
group-bot-not-admin = ⚠️ Bot chưa là quản trị viên của nhóm, nên chưa thể xóa tin, cấm chat hay xác minh thành viên mới. Hãy thêm bot làm quản trị viên (quyền xóa tin nhắn và hạn chế thành viên).
group-unlinked = Đã hủy liên kết nhóm này với { $area }.
group-not-linked = Nhóm này chưa được liên kết với địa bàn nào. Công an địa bàn hãy gõ /lienket &lt;mã địa bàn&gt;.
group-link-denied = Bạn không có quyền liên kết nhóm với { $area }. Chỉ công an hoặc quản trị viên của địa bàn đó mới làm được.
group-settings =
    <b>Cài đặt của nhóm</b>
    • Ẩn tin khi có <b>{ $report_threshold }</b> người báo cáo · <code>report_threshold</code>
    • Cảnh cáo <b>{ $warn_limit }</b> lần thì cấm chat · <code>warn_limit</code>
    • Cấm chat sau cảnh cáo: <b>{ $warn_mute_minutes }</b> phút · <code>warn_mute_minutes</code>
    • Cấm chat mặc định: <b>{ $mute_minutes }</b> phút · <code>mute_minutes</code>
    • Xác minh người mới: <b>{ $verify ->
        [on] bật
       *[off] tắt
    }</b> · <code>verify</code>
    • Thời gian xác minh: <b>{ $verify_seconds }</b> giây · <code>verify_seconds</code>
    • Chống gửi dồn: quá <b>{ $flood_messages }</b> tin trong <b>{ $flood_seconds }</b> giây · <code>flood_messages</code>, <code>flood_seconds</code>
    • Cấm chat khi gửi dồn: <b>{ $flood_mute_minutes }</b> phút · <code>flood_mute_minutes</code>
    Đổi: /caidat &lt;tên&gt; &lt;giá trị&gt;, ví dụ /caidat warn_limit 5
group-setting-unknown = Không có cài đặt "{ $key }". Gõ /caidat để xem danh sách.
group-setting-range = Giá trị của { $key } phải là số từ { $low } đến { $high }.
group-setting-onoff = { $key } chỉ nhận on hoặc off.
group-verify-usage = Cách dùng: /xacminh on hoặc /xacminh off
group-verify-on = Đã bật xác minh thành viên mới: người mới phải bấm nút trong { $minutes } phút, nếu không sẽ bị mời ra khỏi nhóm.
group-verify-off = Đã tắt xác minh thành viên mới.
group-grant-usage =
    Cách dùng: /capquyen @tên_người_dùng congan|kiemduyet &lt;mã địa bàn&gt;
    hoặc trả lời tin nhắn của người đó: /capquyen kiemduyet &lt;mã địa bàn&gt;
group-granted = Đã cấp quyền { $role } ({ $code }) cho { $name }.
group-grant-exists = { $name } đã có quyền { $role } ({ $code }) từ trước.
group-revoked = Đã thu hồi quyền.
group-revoke-none = Người này không có quyền đó.
group-help-link = /lienket &lt;mã&gt; [canhsat|dan] — liên kết nhóm với địa bàn (công an)
group-help-grant = /capquyen, /thuquyen — cấp, thu hồi quyền kiểm duyệt
group-command-link = Liên kết nhóm với địa bàn

## Kiểm duyệt trong nhóm

mod-not-allowed = Bạn không phải người kiểm duyệt của { $area }.
mod-reply-needed = Hãy bấm giữ tin nhắn của người cần xử lý, chọn "Trả lời", rồi gõ lệnh, hoặc ghi tên sau lệnh, ví dụ: /chan @ten_nguoi_dung
mod-user-unknown = Bot chưa thấy @{ $username } nhắn tin lần nào nên không biết là ai. Hãy bấm giữ một tin nhắn của người đó, chọn "Trả lời", rồi gõ lệnh.
mod-target-self = Bạn không thể tự xử lý chính mình.
mod-target-protected = Người này là người kiểm duyệt hoặc công an của địa bàn, không thể xử lý bằng lệnh này.
mod-bot-cannot-act = Bot không làm được việc này: hãy kiểm tra bot có là quản trị viên của nhóm (quyền xóa tin và hạn chế thành viên).
mod-report-how = Để báo cáo một tin nhắn xấu: bấm giữ tin nhắn đó, chọn "Trả lời", rồi gõ /baocao.
mod-report-thanks = Cảm ơn bạn, đã ghi nhận báo cáo ({ $count }/{ $threshold }). Người kiểm duyệt sẽ xem xét.
mod-report-already = Bạn đã báo cáo tin nhắn này rồi. Cảm ơn bạn.
mod-report-hidden = Tin nhắn đã bị ẩn vì có { $count } người báo cáo. Người kiểm duyệt sẽ xem xét.
mod-report-bot = Không thể báo cáo tin nhắn của bot.
mod-report-self = Bạn không thể báo cáo tin nhắn của chính mình.
mod-report-protected = Cảm ơn bạn. Người này là người kiểm duyệt hoặc cán bộ của địa bàn, nên báo cáo được chuyển đến công an của địa bàn xem xét, không qua người kiểm duyệt. Tên bạn không được gửi kèm.
mod-report-protected-police =
    🛡 <b>Báo cáo về tin nhắn của { $name }</b> (người kiểm duyệt hoặc cán bộ của { $area })
    Nhóm: { $group }
    Thành viên nhóm đã báo cáo tin nhắn dưới đây. Vì người viết là người kiểm duyệt hoặc cán bộ của địa bàn, bot không ẩn tin, không đưa vào hàng chờ duyệt mà chuyển để công an xem xét.
    Nội dung: { $text }
mod-warned = ⚠️ { $name } bị cảnh cáo ({ $count }/{ $limit }). { $reason }
mod-warn-muted = 🔇 { $name } đã đủ số lần cảnh cáo và bị cấm chat đến { $until }.
mod-warn-repeated = Cảnh cáo này cho { $name } đã được ghi nhận rồi.
mod-unwarned = Đã gỡ một cảnh cáo của { $name }. Còn { $count } cảnh cáo.
mod-no-warnings = { $name } không có cảnh cáo nào.
mod-duration-invalid = Thời gian "{ $value }" không hợp lệ. Ví dụ: 30p (phút), 2g (giờ), 1n (ngày).
mod-muted = 🔇 { $name } bị cấm chat đến { $until }.
mod-unmuted = { $name } đã được nhắn tin trở lại.
mod-banned = ⛔ { $name } đã bị chặn khỏi nhóm.
mod-unbanned = { $name } đã được bỏ chặn và có thể vào lại nhóm.
mod-flood-muted = 🔇 { $name } gửi tin quá dồn dập nên bị cấm chat đến { $until }. Người kiểm duyệt sẽ xem xét.
mod-verify-prompt = Chào mừng { $name }! Để chống tài khoản tự động, bạn hãy bấm nút bên dưới trong vòng { $minutes } phút để được nhắn tin trong nhóm.
mod-verify-button = ✅ Tôi là người, không phải máy
mod-verify-done = Cảm ơn bạn! Bạn đã có thể nhắn tin trong nhóm.
mod-verify-not-you = Nút này dành cho thành viên mới vào nhóm, không phải cho bạn.
mod-verify-not-pending = Việc xác minh này đã xong hoặc đã hết hạn.
mod-help-report = /baocao — trả lời tin nhắn xấu để báo người kiểm duyệt
mod-help-moderate = /canhcao, /camchat, /chan (và /gocanhcao, /mochat, /gochan) — kiểm duyệt nhóm: trả lời tin nhắn của người cần xử lý, hoặc ghi @tên sau lệnh
mod-command-report = Báo cáo tin nhắn xấu (trả lời tin đó)

## Hàng chờ duyệt

review-not-allowed = Chỉ người kiểm duyệt hoặc công an mới xem được hàng chờ duyệt.
review-overview =
    <b>Hàng chờ duyệt</b>: { $total } việc
    { $lines }
review-count-line = • { $area }: { $count }
review-empty = Không còn việc nào cần duyệt. 👍
review-card-group =
    <b>Duyệt #{ $id }</b> — { $reason }
    Nhóm: { $group } ({ $area })
    Người gửi: { $name }
    Số người báo cáo: { $count }{ $hidden ->
        [yes] {" "}— tin đã bị ẩn
       *[other] {""}
    }
    Dấu hiệu: { $indicators }
    Nội dung: { $text }
review-card-generic =
    <b>Duyệt #{ $id }</b> ({ $kind }) — { $reason }
    Địa bàn: { $area }
    { $text }
review-reason =
    { $reason ->
        [reported] tin nhắn bị báo cáo
        [flood] gửi tin dồn dập
        [bot_account] tài khoản bot vào nhóm
        [suspicious_name] tên có số điện thoại hoặc đường link
       *[other] { $reason }
    }
review-button-next = ⏭ Bỏ qua
review-button-dismiss = ✅ Bỏ qua báo cáo
review-button-delete = 🗑 Xóa tin
review-button-warn = ⚠️ Cảnh cáo
review-button-mute = 🔇 Cấm chat
review-button-ban = ⛔ Chặn
review-done = Đã xử lý.
review-acted = Việc #{ $id }: { $action }.
review-action-dismiss = đã bỏ qua báo cáo
review-action-delete = đã xóa tin nhắn
review-action-warn = đã cảnh cáo
review-action-mute = đã cấm chat
review-action-ban = đã chặn khỏi nhóm
review-action-approve = đã xác nhận tin báo hợp lệ
review-action-reject = đã từ chối tin báo
review-action-merge = đã gộp vào tin trùng
review-action-escalate = đã chuyển cấp trên
review-action-other = đã xử lý
review-denied = Bạn không có quyền xử lý việc này. Lần thử đã được ghi vào nhật ký.
review-item-missing = Không tìm thấy việc cần duyệt này.
review-item-closed = Việc này đã được người khác xử lý rồi.
review-action-unknown = Thao tác không hợp lệ.
review-item-no-chat = Không còn thông tin về nhóm của việc này.
review-help = /duyet — hàng chờ duyệt (người kiểm duyệt, công an)
review-command = Hàng chờ duyệt

## Nhật ký

audit-not-allowed = Chỉ người kiểm duyệt, công an hoặc quản trị viên mới xem được nhật ký.
audit-empty = Nhật ký chưa có mục nào trong địa bàn của bạn.
audit-header = <b>Nhật ký</b> (trang { $page })
audit-entry =
    <b>{ $when }</b> · { $actor }
    { $action } · { $area } { $target }
audit-actor =
    { $kind ->
        [system] hệ thống
        [resident] người dân
       *[other] { $kind }
    }
audit-action-grant-add = cấp quyền
audit-action-grant-remove = thu hồi quyền
audit-action-chat-link = liên kết nhóm
audit-action-chat-unlink = hủy liên kết nhóm
audit-action-chat-settings = đổi cài đặt nhóm
audit-action-chat-bot_status = bot được thêm/bớt quyền trong nhóm
audit-action-mod-hide = ẩn tin bị báo cáo
audit-action-mod-report_to_police = báo cáo về cán bộ, chuyển công an
audit-action-mod-delete = xóa tin
audit-action-mod-warn = cảnh cáo
audit-action-mod-unwarn = gỡ cảnh cáo
audit-action-mod-mute = cấm chat
audit-action-mod-unmute = bỏ cấm chat
audit-action-mod-ban = chặn khỏi nhóm
audit-action-mod-unban = bỏ chặn
audit-action-mod-verify_kick = mời ra (không xác minh)
audit-action-review-dismiss = duyệt: bỏ qua báo cáo
audit-action-review-delete = duyệt: xóa tin
audit-action-review-warn = duyệt: cảnh cáo
audit-action-review-mute = duyệt: cấm chat
audit-action-review-ban = duyệt: chặn
audit-action-review-approve = duyệt: tin báo hợp lệ
audit-action-review-reject = duyệt: từ chối tin báo
audit-action-review-merge = duyệt: gộp tin trùng
audit-action-review-escalate = duyệt: chuyển cấp trên
audit-action-review-denied = bị từ chối thao tác duyệt
audit-action-review-failed = thao tác duyệt không thành
audit-action-report-status = đổi trạng thái tin báo
audit-action-report-escalate = chuyển tin báo lên cấp trên
audit-action-report-review = chuyển tin báo đi kiểm duyệt
audit-action-report-restore = khôi phục tin báo
audit-action-report-merge = gộp tin báo trùng
audit-action-report-review_reject = người kiểm duyệt đóng tin báo
audit-action-report-relay_question = hỏi người báo tin
audit-action-report-helpful = ghi nhận tin báo có giá trị
audit-action-scam-confirm = xác nhận lừa đảo
audit-action-scam-unconfirm = bỏ xác nhận lừa đảo
audit-action-scam-group_warnings = bật/tắt cảnh báo lừa đảo tự động
audit-action-advisory-create = soạn cảnh báo
audit-action-advisory-missed = cảnh báo lỡ lần gửi
audit-action-advisory-retract = thu hồi cảnh báo
audit-action-advisory-pause = tạm dừng cảnh báo
audit-action-advisory-resume = chạy lại cảnh báo
audit-action-advisory-edit_text = sửa cảnh báo
audit-action-advisory-delete = xóa lịch cảnh báo
audit-action-area-add = thêm địa bàn
audit-action-area-import = nhập danh sách địa bàn
audit-action-contact-set = cập nhật số liên hệ
audit-action-contact-remove = xóa số liên hệ
audit-action-faq-set = sửa thủ tục hay hỏi
audit-action-faq-import = nhập thủ tục hay hỏi
audit-action-thanks-publish = gửi lời cảm ơn chung
audit-action-stats-weekly_digest = bật/tắt báo cáo tuần
audit-action-web-signin = đăng nhập trang web
audit-action-account-link = liên kết tài khoản
audit-target = { $type ->
        [report] (tin báo #{ $id })
        [review_item] (việc duyệt #{ $id })
        [indicator] (đầu mối lừa đảo #{ $id })
        [advisory] (cảnh báo số { $id })
        [chat] (nhóm { $id })
        [area] (địa bàn #{ $id })
        [area_contact] (số liên hệ #{ $id })
        [faq] (thủ tục #{ $id })
       *[other] (#{ $id })
    }
audit-action-other = thao tác khác ({ $action })
audit-newer = ◀ Mới hơn
audit-older = Cũ hơn ▶
audit-help = /nhatky — nhật ký các thao tác trong địa bàn của bạn
audit-command = Nhật ký thao tác
