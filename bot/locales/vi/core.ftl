## Chào hỏi, trợ giúp, ngôn ngữ, lỗi chung

start-greeting =
    Xin chào { $name }! 👋
    Đây là trợ lý An ninh khu dân cư của Công an phường, xã.
start-role-resident =
    Bạn có thể:
    • gửi tin báo về an ninh trật tự (có thể ẩn danh),
    • báo và kiểm tra số điện thoại, tài khoản, đường link lừa đảo,
    • theo dõi tin đã gửi và nhận khuyến cáo của công an.
start-role-police =
    Bạn là cảnh sát khu vực của: { $areas }.
    Tin báo của người dân trong địa bàn sẽ đến với bạn; bạn có thể xử lý, trả lời người báo và phát cảnh báo đến các nhóm.
start-role-moderator =
    Bạn là người kiểm duyệt của: { $areas }.
    Bạn duyệt các tin báo và tin nhắn bị gắn cờ trong các nhóm.
start-role-admin = Bạn là quản trị viên hệ thống.
start-emergency = Khi khẩn cấp, hãy gọi ngay: 113 (Công an), 114 (Cứu hỏa), 115 (Cấp cứu).
start-menu-hint = Chọn một việc ở bàn phím bên dưới, hoặc gõ /help để xem hướng dẫn.
start-group =
    Xin chào cả nhóm! Tôi là trợ lý An ninh khu dân cư.
    Hãy nhắn riêng cho tôi để gửi tin báo (có thể ẩn danh). Khi khẩn cấp gọi 113.

help-text =
    <b>Hướng dẫn sử dụng</b>
    { $commands }

    Khi khẩn cấp, hãy gọi 113 (Công an), 114 (Cứu hỏa), 115 (Cấp cứu).
help-command-start = /start — bắt đầu, hiện bàn phím chức năng
help-command-help = /help — hướng dẫn này
help-command-language = /language vi|en — đổi ngôn ngữ

language-current = Ngôn ngữ hiện tại: Tiếng Việt. Chọn ngôn ngữ:
language-set = Đã chuyển sang Tiếng Việt.
language-unknown = Không có ngôn ngữ "{ $value }". Hãy chọn: vi (Tiếng Việt) hoặc en (English).
language-name-vi = Tiếng Việt
language-name-en = English

button-help = ❓ Hướng dẫn
button-language = 🌐 Ngôn ngữ

error-generic = Xin lỗi, đã có lỗi xảy ra. Yêu cầu của bạn chưa được thực hiện, vui lòng thử lại sau ít phút.
error-database-unavailable = Hệ thống tạm thời không lưu được dữ liệu. Tin của bạn CHƯA được ghi nhận, vui lòng thử lại sau ít phút. Nếu khẩn cấp, hãy gọi 113.
error-unknown-command = Tôi chưa hiểu lệnh { $command }. Gõ /help để xem các lệnh.
error-button-expired = Nút này đã hết hạn. Hãy bắt đầu lại.
error-permission-denied = Bạn không có quyền thực hiện việc này.
error-private-only = Lệnh này chỉ dùng trong tin nhắn riêng với bot.
error-group-only = Lệnh này chỉ dùng trong nhóm.
error-text-too-long = Tin nhắn quá dài ({ $length } ký tự). Tối đa { $limit } ký tự.
error-flood = Bạn gửi quá nhanh. Vui lòng đợi { $seconds } giây rồi thử lại.

command-start = Bắt đầu
command-help = Hướng dẫn
command-language = Đổi ngôn ngữ

error-not-found = Không tìm thấy.
error-invalid-input = Dữ liệu không hợp lệ.
area-code-invalid = Mã địa bàn "{ $code }" không hợp lệ: chỉ gồm chữ in hoa không dấu, số, "-" hoặc "_", tối đa 32 ký tự.
area-code-taken = Mã địa bàn { $code } đã tồn tại.
area-kind-invalid = Loại địa bàn "{ $kind }" không hợp lệ. Dùng: province, district, ward, residential_group.
area-name-empty = Tên địa bàn không được để trống.
area-parent-required = Địa bàn loại { $kind } cần có địa bàn cấp trên (--parent).
area-parent-kind = Địa bàn loại { $kind } không thể nằm dưới địa bàn loại { $parent_kind }.
area-not-found = Không có địa bàn mã { $code }.
area-csv-header = Tệp CSV thiếu cột: { $columns } (cần code,name,kind,parent_code).
area-csv-parent = Dòng { $line }: không tìm thấy địa bàn cấp trên { $code }.
police-unit = { $vi }
grant-role-invalid = Vai trò "{ $role }" không hợp lệ. Dùng: congan (police), kiemduyet (moderator) hoặc admin.
grant-user-unknown = Không tìm thấy người dùng @{ $username }. Người đó cần nhắn cho bot trước.
user-username-ambiguous = Có hơn một tài khoản mang tên @{ $username } nên bot không biết là ai. Hãy bấm giữ một tin nhắn của người đó, chọn "Trả lời", rồi gõ lệnh.
grant-user-missing = Hãy cho biết người được cấp quyền (--user ID hoặc @username).
role-admin = quản trị viên
role-police = cảnh sát khu vực
role-moderator = người kiểm duyệt
area-picker-prompt = Chọn địa bàn:
area-picker-whole = ✅ Cả { $name }
area-picker-up = ⬅️ Quay lại
area-picker-empty = Chưa có địa bàn nào được thiết lập. Hãy liên hệ công an phường.

## Từ vựng chung: tên các trạng thái của tin báo và các thao tác của công an. Mọi nơi khác
## (thẻ tin, nút, thông báo cho người báo, thống kê, trang web) dùng lại các từ này.

status-received = Đã tiếp nhận
status-verifying = Đang xác minh
status-handled = Đã xử lý
status-rejected = Không xác thực
action-verify = Xác minh
action-handled = Đã xử lý
action-reject = Không xác thực
action-escalate = Chuyển cấp trên
action-reply = Hỏi người báo
action-scam = Xác nhận lừa đảo
action-review = Chuyển kiểm duyệt
action-helpful = Cảm ơn người báo
action-restore = Khôi phục tin
action-cancel = Hủy
