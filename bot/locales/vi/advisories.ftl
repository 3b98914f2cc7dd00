## Cảnh báo, khuyến cáo của công an phường gửi tới các nhóm (adv-), lịch phát (sched-)

adv-button = 📢 Phát cảnh báo
adv-command = Phát cảnh báo, khuyến cáo tới các nhóm
adv-command-schedules = Lịch phát cảnh báo
adv-command-retract = Thu hồi cảnh báo đã gửi
help-adv = /phatcanhbao — phát cảnh báo, khuyến cáo tới các nhóm dân cư (công an)
help-adv-schedules = /lichphat — xem, tạm dừng, sửa, xóa lịch phát (công an)
help-adv-retract = /thuhoi số — thu hồi (xóa) một cảnh báo khỏi mọi nhóm (công an)

adv-message =
    📢 <b>Công an { $unit }</b> · { $time }
    { $text }

adv-police-only = Chức năng này chỉ dành cho cảnh sát khu vực và quản trị viên.
adv-private-only = Hãy nhắn riêng cho bot để soạn cảnh báo.
adv-area-not-yours = Địa bàn này không thuộc phạm vi phụ trách của bạn.
adv-groups-gone = Một số nhóm đã chọn không còn nhận tin. Hãy chọn lại.
adv-text-empty = Nội dung cảnh báo không được để trống.
adv-media-unsupported = Chỉ gửi kèm được ảnh hoặc tệp.
adv-target-missing = Hãy chọn nơi nhận: một địa bàn hoặc một số nhóm.
adv-not-found = Không tìm thấy cảnh báo số { $id }.
adv-not-yours = Cảnh báo này không thuộc địa bàn bạn đang phụ trách, bạn không sửa được.
adv-no-groups = Chưa có nhóm dân cư nào được liên kết với địa bàn của bạn.

adv-ask-text =
    <b>📢 Soạn cảnh báo, khuyến cáo</b>
    Bước 1. Hãy gõ nội dung gửi tới bà con (có thể in đậm, in nghiêng như khi nhắn tin bình thường).
    Có thể gửi luôn một ảnh kèm chú thích.
adv-ask-media = Bước 2. Gửi kèm một ảnh hoặc một tệp (nếu có), hoặc bấm «Bỏ qua».
adv-need-text = Hãy gõ nội dung bằng chữ (hoặc gửi ảnh có chú thích).
adv-need-media = Hãy gửi một ảnh hoặc một tệp, hoặc bấm «Bỏ qua».
adv-skip = Bỏ qua ➡️
adv-cancel = ❌ { action-cancel }
adv-cancelled = Đã hủy, cảnh báo không được gửi.
adv-ask-target = Bước 3. Gửi tới đâu? Chọn địa bàn (cả phường, hoặc từng tổ dân phố), hoặc chọn từng nhóm.
adv-pick-groups = 👥 Chọn từng nhóm
adv-groups-prompt = Chọn các nhóm sẽ nhận (bấm để đánh dấu ✅), rồi bấm «Xong».
adv-groups-done = Xong ➡️
adv-groups-none = Hãy chọn ít nhất một nhóm.
adv-more = Trang sau ▶️
adv-target-chosen = Gửi tới: { $target } ({ $count } nhóm).
adv-target-groups = { $count } nhóm đã chọn
adv-ask-options = Bước 4. Tùy chọn:
adv-opt-pin = 📌 Ghim trong nhóm: { $on ->
    [yes] Có
   *[no] Không
}
adv-opt-silent = 🔕 Gửi im lặng: { $on ->
    [yes] Có
   *[no] Không
}
adv-next = Tiếp tục ➡️
adv-ask-when = Bước 5. Khi nào gửi?
adv-when-now = 🚀 Gửi ngay
adv-when-at = 🕗 Hẹn giờ
adv-when-daily = 🔁 Hằng ngày
adv-when-weekly = 🔁 Hằng tuần
adv-when-monthly = 🔁 Hằng tháng
adv-ask-datetime = Gõ ngày giờ gửi, ví dụ: <code>07:30 25/12/2026</code>, <code>7h30 25/12</code> hoặc chỉ <code>7h30</code> (hôm nay, hoặc mai nếu đã qua giờ).
adv-ask-weekdays = Chọn các ngày trong tuần (bấm để đánh dấu ✅), rồi bấm «Xong».
adv-weekdays-none = Hãy chọn ít nhất một ngày.
adv-ask-monthday = Gửi vào ngày nào hằng tháng? Gõ một số từ 1 đến 31.
adv-ask-time = Gửi lúc mấy giờ? Ví dụ: <code>07:30</code> hoặc <code>7h30</code>.
adv-ask-until = Lặp đến ngày nào? Gõ ngày (ví dụ <code>31/12/2026</code>), hoặc bấm «Không hạn».
adv-no-end = Không hạn ➡️
adv-preview-note =
    ⬆️ Trên đây là tin bà con sẽ nhận được.
    <b>Nơi nhận:</b> { $target }
    <b>Thời gian:</b> { $when }
    <b>Ghim:</b> { $pin ->
        [yes] có
       *[no] không
    } · <b>Im lặng:</b> { $silent ->
        [yes] có
       *[no] không
    }
    Bấm «Xác nhận» để { $now ->
        [yes] gửi ngay.
       *[no] lưu lịch phát.
    }
adv-when-now-text = ngay bây giờ
adv-confirm = ✅ Xác nhận
adv-created-now = ✅ Đã lưu cảnh báo số { $id }. Đang gửi tới { $count } nhóm, xong sẽ báo lại bạn.
adv-created-later = ✅ Đã lưu cảnh báo số { $id }: { $when }. Lần gửi đầu: { $next }. Xem và sửa bằng /lichphat.
adv-summary =
    📢 Cảnh báo số { $id }: đã gửi { $sent }/{ $total } nhóm{ $failed ->
        [0] .
       *[other] ; { $failed } nhóm lỗi: { $groups }.
    }{ $inactive ->
        [0] {""}
       *[other] {"\u000A"}Bot đã bị xóa hoặc bị chặn ở { $inactive } nhóm ({ $inactive_groups }); các nhóm này được tạm ngừng nhận tin, hãy nhờ quản trị nhóm thêm lại bot.
    }{ $uncertain ->
        [0] {""}
       *[other] {"\u000A"}Hệ thống khởi động lại giữa chừng: { $uncertain } nhóm có thể nhận 2 lần.
    }{ $quota ->
        [0] {""}
       *[other] {"\u000A"}Zalo OA đã hết hạn mức gửi tin: { $quota } người theo dõi chưa nhận được (hệ thống tạm dừng gửi qua OA một giờ).
    }{ $held ->
        [0] {""}
       *[other] {"\u000A"}{ $held } người theo dõi OA quá 7 ngày chưa nhắn cho OA: tin được giữ lại và gửi khi họ nhắn lần tới.
    }
adv-missed = ⚠️ Cảnh báo số { $id } đã lỡ { $count } lần gửi ({ $times }) vì hệ thống tạm dừng quá lâu; các lần này không được gửi bù.

adv-retract-usage = Cách dùng: /thuhoi số_cảnh_báo (xem số ở /lichphat).
adv-retract-confirm =
    Thu hồi cảnh báo số { $id }? Tin sẽ bị xóa khỏi <b>{ $groups ->
        [0] các nhóm (hiện chưa nhóm nào nhận được)
       *[other] { $groups } nhóm
    }</b>, không khôi phục được. Lần gửi đang chạy (nếu có) sẽ dừng.
adv-retract-yes = ↩️ Thu hồi
adv-retract-confirmed = Đã xác nhận thu hồi cảnh báo số { $id }.
adv-retract-kept = Không thu hồi: cảnh báo số { $id } vẫn còn trong các nhóm.
adv-retract-started = Đang thu hồi cảnh báo số { $id } khỏi các nhóm…
adv-retracted = Đã thu hồi cảnh báo số { $id }: xóa { $deleted }/{ $total } tin.{ $stopped ->
        [0] {""}
       *[other] {" "}Đã dừng { $stopped } tin chưa kịp gửi.
    }
adv-edit-prompt = Gõ nội dung mới cho cảnh báo số { $id } (áp dụng cho các lần gửi sau).
adv-edited = Đã sửa nội dung cảnh báo số { $id }.

sched-none = Địa bàn của bạn chưa có cảnh báo nào. Soạn mới bằng /phatcanhbao.
sched-item =
    <b>Số { $id }</b> · { $title }
    🗓 { $when }
    { $status ->
        [waiting] 🕗 Chờ gửi · lần gửi đầu: { $next }
        [active] 🔁 Đang lặp lại · lần gửi tới: { $next }
        [paused] ⏸ Tạm dừng
       *[done] ✔️ Đã xong
    }
sched-next-none = không còn
sched-pause = ⏸ Tạm dừng
sched-resume = ▶️ Chạy lại
sched-edit = ✏️ Sửa nội dung
sched-delete = 🗑 Xóa lịch
sched-retract = ↩️ Thu hồi tin đã gửi
sched-paused = Đã tạm dừng cảnh báo số { $id }.
sched-resumed = Đã chạy lại cảnh báo số { $id }. Lần gửi tới: { $next }.
sched-deleted = Đã xóa lịch cảnh báo số { $id }. Tin đã gửi vẫn còn trong nhóm (thu hồi bằng /thuhoi { $id }).
sched-not-active = Cảnh báo này không đang chạy.
sched-not-paused = Cảnh báo này không bị tạm dừng.
sched-invalid = Lịch phát không hợp lệ.
sched-weekdays-missing = Hãy chọn ít nhất một ngày trong tuần.
sched-month-day-invalid = Ngày trong tháng phải từ 1 đến 31.
sched-no-future-run = Lịch này không còn lần gửi nào trong tương lai.
sched-datetime-invalid = Chưa hiểu thời gian "{ $text }". Hãy gõ như <code>07:30 25/12/2026</code> hoặc <code>7h30</code>.
sched-datetime-past = Thời điểm "{ $text }" đã qua. Hãy chọn một thời điểm sắp tới.
sched-time-invalid = Chưa hiểu giờ "{ $text }". Hãy gõ như <code>07:30</code> hoặc <code>7h30</code>.
sched-date-invalid = Chưa hiểu ngày "{ $text }". Hãy gõ như <code>31/12/2026</code>.
sched-once = { $time } ngày { $date }
sched-daily = { $time } hằng ngày
sched-weekly = { $time } { $days } hằng tuần
sched-monthly = { $time } ngày { $day } hằng tháng
sched-until = { $schedule }, đến hết { $date }
sched-weekday-0 = thứ Hai
sched-weekday-1 = thứ Ba
sched-weekday-2 = thứ Tư
sched-weekday-3 = thứ Năm
sched-weekday-4 = thứ Sáu
sched-weekday-5 = thứ Bảy
sched-weekday-6 = Chủ nhật
sched-wd-short-0 = T2
sched-wd-short-1 = T3
sched-wd-short-2 = T4
sched-wd-short-3 = T5
sched-wd-short-4 = T6
sched-wd-short-5 = T7
sched-wd-short-6 = CN
