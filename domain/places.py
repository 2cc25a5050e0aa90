"""Whether a point on the map is inside the Kingdom.

Iqama renewal asks «أين صاحب الإقامة الآن؟» (inside or outside the Kingdom: DESIGN.md, and
seed 000: «تجديد الهوية للمقيم سواء كان داخل المملكة أو خارجها»); a location shared in the
chat (Telegram's or WhatsApp's location message) answers it. The border is a simplified
polygon of 33 points, some kilometres off along the land borders: right for Riyadh, Jeddah,
Tabuk, Najran or Khobar against Amman, Kuwait, Manama, Doha, Saada or Cairo, not for a
point on the border itself. The answer read from it is shown to the person, with «Back» to
change it, as any answer read from their words.
"""

from __future__ import annotations

from typing import Final

#: (latitude, longitude) in degrees, clockwise from Haql on the Gulf of Aqaba: the land
#: borders with Jordan, Iraq, Kuwait, Qatar, the UAE, Oman and Yemen, then the Red Sea
#: coast; the Gulf coast runs west of Bahrain.
KINGDOM: Final[tuple[tuple[float, float], ...]] = (
    (29.40, 34.85), (29.19, 36.07), (29.87, 36.75), (30.50, 37.67), (31.50, 37.00),
    (32.15, 39.20), (31.10, 41.50), (30.00, 44.70), (29.10, 46.55), (28.53, 48.42),
    (27.90, 49.10), (27.10, 49.80), (26.50, 50.25), (25.90, 50.30), (25.30, 50.45),
    (24.75, 50.80), (24.55, 51.20), (24.25, 51.60), (22.70, 55.20), (20.00, 55.00),
    (19.00, 52.00), (17.00, 47.30), (17.35, 44.60), (17.20, 43.40), (16.37, 42.78),
    (18.20, 41.50), (20.00, 40.20), (21.50, 39.05), (22.50, 38.95), (24.10, 37.95),
    (25.50, 36.80), (27.60, 35.30), (28.05, 34.55),
)  # fmt: skip


def in_kingdom(latitude: float, longitude: float) -> bool:
    """True when the point (degrees, WGS 84, as Telegram and WhatsApp give a location) is
    inside :data:`KINGDOM`: a ray cast east from it crosses the border an odd number of
    times."""
    inside = False
    for (lat1, lon1), (lat2, lon2) in zip(KINGDOM, KINGDOM[-1:] + KINGDOM[:-1], strict=True):
        if (lat1 > latitude) != (lat2 > latitude):
            crossing = lon1 + (latitude - lat1) * (lon2 - lon1) / (lat2 - lat1)
            if longitude < crossing:
                inside = not inside
    return inside
