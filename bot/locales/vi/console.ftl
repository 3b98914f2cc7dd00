## The console, part 2: Cảnh báo, Địa bàn, Nhật ký (police) and Duyệt (moderators).

console-nav-advisories = Cảnh báo
console-nav-areas = Địa bàn
console-nav-audit = Nhật ký
console-nav-review = Duyệt
console-back-to-review = Về hàng chờ duyệt
console-cancel = Hủy
web-police-only = Trang này dành cho cán bộ công an và quản trị viên.
web-moderators-only = Trang này dành cho người kiểm duyệt. Cán bộ công an duyệt tin trong hộp thư và bằng lệnh /duyet.

console-adv-compose = Soạn cảnh báo
console-cal-previous = Tháng trước
console-cal-next = Tháng sau
console-cal-month = Tháng { $month }/{ $year }
console-cal-kind-planned = sẽ gửi
console-cal-kind-sent = đã gửi
console-cal-kind-missed = bị lỡ
console-adv-list = Các cảnh báo của địa bàn
console-adv-none = Chưa có cảnh báo nào. Bấm "Soạn cảnh báo" để gửi hoặc hẹn giờ.
console-adv-col-title = Nội dung
console-adv-col-target = Nơi nhận
console-adv-col-schedule = Lịch gửi
console-adv-col-next = Lần gửi tới
console-adv-status-active = đang chạy
console-adv-status-paused = tạm dừng
console-adv-status-done = đã xong
console-adv-status-deleted = đã xóa
console-adv-step-text = 1. Nội dung cảnh báo
console-adv-step-target = 2. Gửi đến
console-adv-step-options = 3. Tùy chọn
console-adv-step-when = 4. Thời gian gửi
console-adv-target-area = Mọi nhóm dân cư của địa bàn:
console-adv-target-groups = Chỉ các nhóm chọn dưới đây:
console-adv-pin = 📌 Ghim trong nhóm
console-adv-silent = 🔕 Gửi im lặng
console-adv-at-date = Ngày (hẹn giờ)
console-adv-at-time = Giờ (hẹn giờ)
console-adv-time-of-day = Giờ gửi (định kỳ)
console-adv-weekdays = Các ngày trong tuần:
console-adv-month-day = Ngày trong tháng
console-adv-until = Đến hết ngày (không bắt buộc)
console-adv-when-hint = Hẹn giờ: chọn ngày và giờ. Hằng ngày, hằng tuần, hằng tháng: chọn giờ gửi (và các ngày, hoặc ngày trong tháng).
console-adv-preview = Xem trước
console-adv-preview-hint = Người dân trong các nhóm sẽ nhận đúng tin dưới đây.
console-adv-groups-count = { $count ->
    [one] 1 nhóm
   *[other] { $count } nhóm
}
console-adv-send-now = 🚀 Gửi ngay
console-adv-schedule = ✅ Lên lịch
console-adv-edit = Sửa lại
console-adv-title = Cảnh báo số { $id }
console-back-to-calendar = Về lịch cảnh báo
console-adv-created = Đã lưu cảnh báo. Bot gửi đúng giờ đã hẹn; báo cáo từng nhóm hiện ở đây sau mỗi lần gửi.
console-adv-sending = Đã lưu cảnh báo, bot đang gửi đến các nhóm; tải lại trang để xem từng nhóm đã nhận chưa.
console-adv-retracted = Đã thu hồi: xóa { $deleted }/{ $total } tin trong các nhóm.
console-adv-retract = Thu hồi
console-adv-retract-question = Xóa { $copies } tin cảnh báo này khỏi các nhóm, và dừng lần gửi đang chạy (nhóm chưa nhận sẽ không nhận)? Lịch gửi giữ nguyên.
console-adv-retract-yes = ↩️ Thu hồi
console-adv-retract-no = Không, giữ lại
console-adv-runs = Các lần gửi
console-adv-no-runs = Chưa gửi lần nào.
console-run-status-running = đang gửi
console-run-status-done = đã gửi xong
console-run-status-missed = bị lỡ (bot không chạy lúc đến giờ)
console-delivery-pending = chờ gửi
console-delivery-sending = đang gửi
console-delivery-sent = đã gửi
console-delivery-failed = không gửi được
console-delivery-skipped = bỏ qua
console-delivery-retracted = đã thu hồi
console-delivery-uncertain = có thể nhận 2 lần
console-delivery-direct = { $count } người dân nhận tin riêng
console-col-group = Nhóm
console-col-attempts = Số lần thử
console-col-updated = Cập nhật

console-areas-truncated = Địa bàn quá lớn để hiện hết: hãy chọn một phường, xã.
console-area-kind-province = tỉnh, thành phố
console-area-kind-district = quận, huyện
console-area-kind-ward = phường, xã
console-area-kind-residential_group = tổ dân phố
console-purpose-residents = nhóm dân cư
console-purpose-police = nhóm công tác công an
console-purpose-none = chưa gán
console-group-inactive = bot không còn trong nhóm
console-group-not-admin = bot chưa là quản trị viên
console-group-last-activity = hoạt động gần nhất: { $when }

console-audit-action = Thao tác
console-audit-actor = Người thực hiện
console-audit-col-time = Thời gian
console-audit-col-action = Thao tác
console-audit-col-actor = Người thực hiện
console-audit-col-area = Địa bàn
console-audit-col-target = Đối tượng

console-review-total = { $count ->
    [one] 1 việc cần duyệt
   *[other] { $count } việc cần duyệt
}
console-review-done = Xong: { $action }.
console-review-more = Còn việc khác: xử lý xong các việc trên rồi tải lại trang.
