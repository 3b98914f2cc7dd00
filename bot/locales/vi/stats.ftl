## Thống kê, báo cáo (stats-)

stats-command = Thống kê tin báo của địa bàn
stats-command-digest = Bật/tắt báo cáo tuần cho nhóm công an
stats-help = /thongke (/stats) — thống kê tin báo theo tuần, tháng, quý, năm; /thongke 01/10/2026 31/10/2026 cho một khoảng ngày
stats-help-digest = /baocaotuan on|off (/digest) — báo cáo tuần gửi vào nhóm công an lúc 7:30 sáng thứ Hai
stats-button = 📊 Thống kê

stats-not-allowed = Chỉ công an, người kiểm duyệt và quản trị viên của địa bàn mới xem được thống kê.
stats-area-not-found = Không tìm thấy địa bàn này.
stats-bad-dates =
    Không đọc được khoảng ngày. Hãy gõ ngày bắt đầu và ngày kết thúc theo dạng ngày/tháng/năm, ví dụ:
    /thongke 01/10/2026 31/10/2026
stats-dates-reversed = Ngày bắt đầu phải trước ngày kết thúc.
stats-range-too-long = Khoảng ngày dài quá: tối đa { $days } ngày.

stats-choose-period = 📊 <b>Thống kê tin báo</b> — { $areas }
    Chọn kỳ thống kê (hoặc gõ /thongke 01/10/2026 31/10/2026):
stats-btn-period = { $kind ->
        [w] Tuần này
        [m] Tháng này
        [q] Quý này
        [y] Năm nay
        [lw] Tuần trước
        [lm] Tháng trước
       *[c] Khoảng ngày khác
    }
stats-btn-areas = 🏘 Theo địa bàn
stats-btn-area = { $name }
stats-chart-caption = 📊 { $areas } — { $dates }

stats-period-name = { $kind ->
        [w] tuần này ({ $dates })
        [m] tháng này ({ $dates })
        [q] quý này ({ $dates })
        [y] năm nay ({ $dates })
        [lw] tuần trước ({ $dates })
        [lm] tháng trước ({ $dates })
       *[c] { $dates }
    }

stats-base-last-year = cùng kỳ
stats-base-week = tuần trước
stats-base-month = tháng trước
stats-base-quarter = quý trước
stats-base-previous = kỳ trước

stats-unit-tip = { $count } tin
stats-unit-case = { $count } vụ
stats-unit-indicator = { $count } đầu mối
stats-unit-broadcast = { $count } lượt
stats-unit-group = { $count } nhóm
stats-unit-alert = { $count } tin

stats-change = { $direction ->
        [up] tăng { $amount } (+{ $pct }%) so với { $base }
        [down] giảm { $amount } ({ $pct }%) so với { $base }
        [same] bằng { $base }
       *[nobase] { $base }: 0
    }
stats-speed = { $direction ->
        [up] chậm hơn { $amount } so với { $base }
        [down] nhanh hơn { $amount } so với { $base }
        [same] bằng { $base }
       *[nobase] chưa có số liệu { $base }
    }
stats-no-comparison = <i>Chưa so sánh với { $bases }: chưa có đủ số liệu của kỳ đó.</i>
stats-bases-both = { $first } và { $second }
stats-with-changes = { $value }, { $changes }

stats-duration-under-minute = dưới 1 phút
stats-duration-minutes = { $minutes } phút
stats-duration-hours = { $hours } giờ
stats-duration-hours-minutes = { $hours } giờ { $minutes } phút
stats-duration-days = { $days } ngày

stats-header = 📊 <b>THỐNG KÊ TIN BÁO</b>
stats-header-digest = 📊 <b>BÁO CÁO TUẦN</b>
stats-scope = Địa bàn: <b>{ $areas }</b>
stats-period = Kỳ: { $period }
stats-line-total = <b>Tin báo nhận được:</b> { $value }
stats-line-cases = <b>Số vụ việc</b> (gộp { $duplicates } tin trùng): { $value }
stats-categories-title = <b>Theo lĩnh vực:</b>
stats-statuses-title = <b>Theo tình trạng xử lý:</b>
stats-item = • { $label }: { $value }
stats-line-fraud = <b>Cảnh báo lừa đảo:</b> { $value }
stats-line-indicators = <b>Số điện thoại, tài khoản, đường link lừa đảo đã xác nhận:</b> { $value }
stats-line-median = <b>Thời gian từ lúc nhận tin đến lúc bắt đầu xử lý</b> (trung vị): { $value }
stats-median-none = chưa có tin nào được xử lý
stats-line-advisories = <b>Cảnh báo, khuyến cáo đã phát:</b> { $value }
stats-reach = { $broadcasts } đến { $groups }
stats-line-helpful = <b>Tin báo có giá trị:</b> { $value }

stats-cat-crime = Tội phạm
stats-cat-social_evils = Tệ nạn xã hội
stats-cat-property_fire = Tài sản, cháy nổ
stats-cat-order = Trật tự
stats-cat-reintegration = Tái hòa nhập cộng đồng
stats-cat-online_fraud = Lừa đảo trực tuyến
stats-cat-other = Việc khác
stats-status-received = { status-received }, chưa xử lý
stats-status-verifying = { status-verifying }
stats-status-handled = { status-handled }
stats-status-rejected = { status-rejected }

stats-breakdown-header = 🏘 <b>Theo địa bàn</b> — { $areas }
    Kỳ: { $period }
stats-breakdown-empty = Địa bàn này không có đơn vị trực thuộc.
stats-breakdown-more = … và { $count } địa bàn khác có ít tin hơn.

stats-chart-title = Tin báo — { $areas } — { $dates }
stats-chart-by-category = Theo lĩnh vực
stats-chart-over-time = { $granularity ->
        [day] Theo ngày
        [week] Theo tuần
       *[month] Theo tháng
    }
stats-chart-this-period = Kỳ này
stats-chart-last-year = Cùng kỳ năm trước
stats-chart-count = Số tin

stats-digest = { $body }
stats-digest-footer = Gõ /thongke (nhắn riêng với bot) để xem chi tiết và biểu đồ. Tắt báo cáo tuần: /baocaotuan off
stats-digest-on = ✅ Đã bật báo cáo tuần cho nhóm này ({ $area }): gửi lúc 7:30 sáng thứ Hai hằng tuần.
stats-digest-off = Đã tắt báo cáo tuần cho nhóm này ({ $area }).
stats-digest-status-on = Báo cáo tuần của nhóm này ({ $area }) đang <b>bật</b>. Tắt: /baocaotuan off
stats-digest-status-off = Báo cáo tuần của nhóm này ({ $area }) đang <b>tắt</b>. Bật: /baocaotuan on
stats-digest-usage = Cách dùng: /baocaotuan on để bật, /baocaotuan off để tắt.
stats-digest-not-police-chat = Báo cáo tuần chỉ bật được trong nhóm làm việc của công an đã liên kết với địa bàn (/lienket … canhsat).
stats-digest-denied = Chỉ công an của địa bàn mới bật, tắt được báo cáo tuần.

stats-export-metric = Chỉ tiêu
stats-export-current = Kỳ này
stats-export-previous = Kỳ trước
stats-export-last-year = Cùng kỳ năm trước
stats-export-total = Tin báo nhận được
stats-export-cases = Số vụ việc (đã gộp tin trùng)
stats-export-category = Lĩnh vực: { $label }
stats-export-status = Tình trạng: { $label }
stats-export-fraud = Cảnh báo lừa đảo
stats-export-indicators = Đầu mối lừa đảo đã xác nhận
stats-export-median-minutes = Thời gian đến lúc bắt đầu xử lý, trung vị (phút)
stats-export-broadcasts = Lượt phát cảnh báo, khuyến cáo
stats-export-groups = Số nhóm nhận cảnh báo
stats-export-helpful = Tin báo có giá trị
stats-export-col-code = Mã tin
stats-export-col-date = Thời gian nhận
stats-export-col-kind = Loại
stats-export-col-category = Lĩnh vực
stats-export-col-status = Tình trạng
stats-export-col-area = Địa bàn
stats-export-col-first-action = Bắt đầu xử lý lúc
stats-export-col-handled = Xử lý xong lúc
stats-export-col-text = Nội dung
stats-export-kind-tip = Tin báo
stats-export-kind-fraud = Cảnh báo lừa đảo
stats-export-sheet-summary = Tổng hợp
stats-export-sheet-tips = Danh sách tin
stats-export-title = Thống kê tin báo — { $area } — { $dates }
