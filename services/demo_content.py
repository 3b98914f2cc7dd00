"""What the demo's past looks like: tips and police advisories of the last four months in the
wards of thành phố Nam Định, written the way residents and ward police write (vocabulary from the
seed articles: "5 tự quản", tội phạm, tệ nạn xã hội, cháy nổ, trật tự giao thông, đối tượng tái
hòa nhập, lừa đảo trực tuyến).

The counts per 30-day window are chosen so that statistics have trends to show: online fraud
grows month after month while theft slowly falls. Everything is fixed (no randomness), so
loading twice gives the same data.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.categories import Category

STREETS: dict[str, list[str]] = {
    "TN": ["đường Trần Hưng Đạo", "phố Hàn Thuyên", "phố Tô Hiến Thành"],
    "VH": ["đường Vị Hoàng", "phố Hàng Sắt", "ngõ Cầu Ông Đồ"],
    "NQ": ["phố Ngô Quyền", "đường Trần Đăng Ninh", "phố Minh Khai"],
    "LH": ["đường Văn Cao", "đường Lê Đức Thọ", "khu đô thị Hòa Vượng"],
    "MX": ["đường Điện Biên", "đường Thái Bình", "chợ Mỹ Xá"],
    "NP": ["đường Đặng Xuân Bảng", "đê sông Đào", "xóm Ngói"],
    "QT": ["đường Trường Chinh", "phố Quang Trung", "chợ Rồng"],
    "ML": ["đường Song Hào", "đường Mỹ Trung", "khu công nghiệp Mỹ Trung"],
}
"""A few real street names per ward, so tips read like they come from there."""

TIP_TEXTS: dict[Category, list[str]] = {
    Category.CRIME: [
        "Khoảng 23h đêm qua có hai thanh niên đi xe máy không biển số lảng vảng, soi đèn vào "
        "các nhà ở {street}. Sáng nay nhà số 17 mất một xe Wave để ngoài sân.",
        "Sáng nay ở đầu {street} có người bị giật túi xách khi đang đi chợ, hai đối tượng đi "
        "xe Exciter màu đen chạy về hướng cầu. Người bị hại là bà cụ ngoài 70 tuổi.",
        "Nhà tôi ở {street} bị cạy khóa cửa sau trong lúc cả nhà đi đám cưới, mất khoảng 5 "
        "chỉ vàng và 20 triệu tiền mặt. Camera nhà bên cạnh có ghi được hình.",
        "Tối qua có đánh nhau giữa hai nhóm thanh niên ở quán nước {street}, có người cầm "
        "dao, một người bị thương đã đưa đi viện.",
        "Mấy hôm nay có người lạ đến gõ cửa từng nhà ở {street} hỏi mua đồ cũ, nhìn ngó rất "
        "kỹ vào trong nhà. Bà con nghi là đi dò đường để trộm.",
        "Trộm cắt khóa lấy mất 3 bình ắc quy xe điện để ở nhà xe tập thể {street} trong đêm.",
    ],
    Category.SOCIAL_EVILS: [
        "Căn nhà cho thuê cuối {street} tối nào cũng có nhiều thanh niên tụ tập đến khuya, "
        "mở nhạc to, có mùi lạ. Nghi sử dụng ma túy.",
        "Có tụ điểm đánh bạc (xóc đĩa) ở nhà kho phía sau {street}, chiều nào cũng có người "
        "canh ở đầu ngõ.",
        "Ở bãi đất trống gần {street} thường xuyên thấy vỏ bơm kim tiêm vứt bừa bãi, trẻ con "
        "hay ra đó chơi rất nguy hiểm.",
    ],
    Category.PROPERTY_FIRE: [
        "Xưởng hàn ở {street} để bình gas và vật liệu dễ cháy ngay sát nhà dân, dây điện câu "
        "nối chằng chịt. Đề nghị kiểm tra phòng cháy chữa cháy.",
        "Tối qua chập điện ở cột điện đầu {street}, có tia lửa bắn xuống mái tôn nhà dân. "
        "Đã báo điện lực nhưng chưa thấy ai đến.",
        "Nhà trọ ở {street} có hơn 20 phòng mà không có bình chữa cháy, lối thoát hiểm bị "
        "khóa, xe máy để kín cầu thang.",
    ],
    Category.ORDER: [
        "Nhóm thanh niên thường xuyên tụ tập đua xe, rú ga, lạng lách trên {street} từ 22h "
        "đến 1h sáng, rất nguy hiểm cho người đi đường.",
        "Quán nhậu ở {street} bày bàn ghế lấn chiếm hết vỉa hè và một phần lòng đường, xe cộ "
        "phải đi vòng, buổi tối rất hay ùn tắc.",
        "Xe tải chở vật liệu xây dựng đổ trộm phế thải ven {street} lúc nửa đêm, bụi bẩn và "
        "cản trở giao thông.",
        "Học sinh đi xe máy điện không đội mũ bảo hiểm, đi hàng ba trên {street} giờ tan "
        "trường, đã suýt va chạm mấy lần.",
    ],
    Category.REINTEGRATION: [
        "Anh T. ở {street} vừa chấp hành xong án phạt tù trở về địa phương, gia đình khó khăn, "
        "chưa có việc làm. Đề nghị tổ dân phố và công an phường giúp đỡ, quản lý.",
        "Đối tượng đang cai nghiện tại gia đình ở {street} mấy hôm nay bỏ đi khỏi nhà, người "
        "nhà lo lắng vì thấy hay đi cùng nhóm bạn cũ.",
    ],
    Category.ONLINE_FRAUD: [
        "Tôi nhận cuộc gọi tự xưng là công an phường, nói tôi liên quan đến đường dây rửa "
        "tiền và yêu cầu cài ứng dụng để xác minh. Nhà ở {street}, may chưa chuyển tiền.",
        "Mẹ tôi ở {street} bị gọi điện báo con bị tai nạn cấp cứu, bắt chuyển ngay 30 triệu "
        "tiền viện phí vào tài khoản lạ. Đã chuyển 10 triệu trước khi gọi được cho tôi.",
        "Có người nhắn tin Zalo mời làm cộng tác viên, thả tim sản phẩm trên mạng được hoa "
        "hồng. Hàng xóm ở {street} đã nạp 45 triệu thì không rút được.",
        "Nhận tin nhắn giả mạo ngân hàng báo tài khoản bị khóa, kèm đường link để đăng nhập "
        "lại. Nhiều người trong nhóm Zalo của tổ dân phố {street} cũng nhận được.",
        "Đối tượng gọi điện tự xưng nhân viên điện lực đòi tiền điện quá hạn, bảo sẽ cắt "
        "điện trong 2 giờ nếu không chuyển khoản. Ở {street} có mấy nhà nhận được.",
    ],
}

FRAUD_DETAILS: list[str] = [
    "Số gọi đến: 0389 123 456",
    "Tài khoản nhận tiền: 19033345678901 (Techcombank), tên NGUYEN VAN H",
    "Zalo: 0567 889 900; trang web camket-hoahong.vip",
    "Đường link: vietcombank-xacminh.online",
    "Số gọi đến: 0834 567 123",
]

WINDOW_COUNTS: dict[Category, tuple[int, int, int, int]] = {
    Category.CRIME: (5, 4, 4, 3),
    Category.SOCIAL_EVILS: (2, 2, 1, 2),
    Category.PROPERTY_FIRE: (1, 2, 1, 1),
    Category.ORDER: (3, 3, 4, 3),
    Category.REINTEGRATION: (1, 1, 1, 1),
    Category.ONLINE_FRAUD: (2, 3, 5, 7),
}
"""Tips per category in each 30-day window, oldest window first (120 days in all)."""

HANDLED_NOTES: dict[Category, str] = {
    Category.CRIME: "Công an phường đã xác minh, phối hợp truy xét; đã trả lại tài sản.",
    Category.SOCIAL_EVILS: "Đã kiểm tra, lập biên bản và xử lý theo quy định.",
    Category.PROPERTY_FIRE: "Đã kiểm tra an toàn PCCC, yêu cầu cơ sở khắc phục.",
    Category.ORDER: "Đã tăng cường tuần tra, nhắc nhở và xử lý vi phạm.",
    Category.REINTEGRATION: "Đã phân công tổ dân phố và đoàn thể giúp đỡ, quản lý.",
    Category.ONLINE_FRAUD: "Đã tiếp nhận, hướng dẫn trình báo và cảnh báo trong nhóm.",
}
REJECTED_NOTE = "Đã kiểm tra, nội dung tin báo không đúng thực tế."


@dataclass(frozen=True, slots=True)
class PastTip:
    index: int
    category: Category
    text: str
    ward: str
    group: int
    days_ago: float
    status: str
    """received, verifying, handled or rejected."""
    anonymous: bool
    fraud_details: str | None
    address: str


@dataclass(frozen=True, slots=True)
class PastAdvisory:
    ward: str
    days_ago: float
    text: str
    pin: bool


def past_tips(wards: list[str], groups_per_ward: int) -> list[PastTip]:
    """The demo's 120 days of tips, oldest first."""
    tips: list[PastTip] = []
    used: dict[Category, int] = {}
    index = 0
    for window in range(4):
        plan = [(c, counts[window]) for c, counts in WINDOW_COUNTS.items()]
        batch = [c for c, n in plan for _ in range(n)]
        for k, category in enumerate(batch):
            n = used.get(category, 0)
            used[category] = n + 1
            ward = wards[(index * 3 + window) % len(wards)]
            street = STREETS.get(ward, ["khu dân cư"])[n % 3]
            text = TIP_TEXTS[category][n % len(TIP_TEXTS[category])].format(street=street)
            days_ago = 120 - window * 30 - (k + 0.5) * 30 / len(batch)
            if days_ago < 4:
                status = "received"
            elif days_ago < 10:
                status = "verifying"
            elif index % 11 == 5:
                status = "rejected"
            else:
                status = "handled"
            tips.append(
                PastTip(
                    index=index,
                    category=category,
                    text=text,
                    ward=ward,
                    group=1 + index % groups_per_ward,
                    days_ago=days_ago,
                    status=status,
                    anonymous=index % 3 != 0,
                    fraud_details=(
                        FRAUD_DETAILS[n % len(FRAUD_DETAILS)] if category.is_fraud else None
                    ),
                    address=f"{street}, thành phố Nam Định",
                )
            )
            index += 1
    tips.append(lone_fraud_tip(index, wards[0]))
    return tips


LONE_SCAM_NUMBER = "0702 468 135"
"""Given as the scammer's in one resident's tip only: /kiemtra's "1 báo cáo chưa xác minh"."""


def lone_fraud_tip(index: int, ward: str) -> PastTip:
    """Yesterday's fraud tip whose number nobody else reported (not yet looked at)."""
    street = STREETS.get(ward, ["khu dân cư"])[0]
    return PastTip(
        index=index,
        category=Category.ONLINE_FRAUD,
        text="Có người gọi tự xưng nhân viên giao hàng, nói có bưu phẩm phải đóng 35 nghìn "
        f"phí lưu kho qua đường link lạ. Nhà tôi ở {street} không đặt hàng gì.",
        ward=ward,
        group=1,
        days_ago=1.25,
        status="received",
        anonymous=True,
        fraud_details=f"Số gọi đến: {LONE_SCAM_NUMBER}",
        address=f"{street}, thành phố Nam Định",
    )


ADVISORY_TEXTS: list[tuple[str, bool]] = [
    (
        "<b>CẢNH BÁO LỪA ĐẢO</b>\nGần đây xuất hiện các cuộc gọi giả danh công an, yêu cầu "
        "cài ứng dụng lạ hoặc chuyển tiền để «xác minh». Công an <b>không</b> làm việc qua "
        "điện thoại và không yêu cầu chuyển tiền. Gặp trường hợp này, bà con hãy báo ngay "
        "cho cảnh sát khu vực.",
        True,
    ),
    (
        "<b>Khuyến cáo phòng cháy</b> mùa hanh khô: kiểm tra dây điện, không câu móc điện, "
        "không để xe máy, xe đạp điện sạc qua đêm gần lối đi. Mỗi hộ nên trang bị bình chữa "
        "cháy mini.",
        False,
    ),
    (
        "<b>Phòng chống trộm cắp dịp cuối năm</b>: khóa cổng, khóa xe cẩn thận, không để tài "
        "sản có giá trị trong xe, lắp camera và đèn chiếu sáng. Thấy người lạ khả nghi hãy "
        "báo ngay qua nút «Gửi tin báo».",
        True,
    ),
    (
        "<b>Thủ đoạn mới</b>: nhắn tin mời làm cộng tác viên, «việc nhẹ lương cao», thả tim "
        "sản phẩm nhận hoa hồng. Đây là <i>lừa đảo</i>, tuyệt đối không nạp tiền.",
        False,
    ),
]


def past_advisories(wards: list[str]) -> list[PastAdvisory]:
    """Each ward's officer sent a few advisories over the last four months."""
    result: list[PastAdvisory] = []
    for w, ward in enumerate(wards):
        for k, (text, pin) in enumerate(ADVISORY_TEXTS):
            if (w + k) % 2 == 1 and k != 0:
                continue  # not every ward sent every advisory
            result.append(PastAdvisory(ward, 110 - k * 30 - w * 2.5, text, pin))
    return result
