"""The demo shop: a seeded, believable outdoor-gear and fitness shop (catalogue, customers,
consents, preferences, six months of events and texts) generated as plain domain values::

    shop = generate(rng=np.random.default_rng(7), now=datetime.now(UTC))
    shop.operator_subjects["u0002"]
    # 'hiker who wrote a distressed support message: their father died last week'
"""

from tactful.demo.shop import DemoShop, generate

__all__ = ["DemoShop", "generate"]
