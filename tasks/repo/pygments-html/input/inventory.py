"""Tiny inventory ledger used by the warehouse kiosk."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

LOW_STOCK = 5  # reorder threshold


@dataclasses.dataclass
class Item:
    sku: str
    name: str
    price: Decimal
    quantity: int = 0

    @property
    def value(self) -> Decimal:
        return self.price * self.quantity


class Ledger:
    def __init__(self) -> None:
        self._items: dict[str, Item] = {}

    def add(self, item: Item) -> None:
        if item.sku in self._items:
            raise KeyError(f"duplicate sku {item.sku!r}")
        self._items[item.sku] = item

    def restock(self, sku: str, amount: int) -> int:
        item = self._items[sku]
        item.quantity += amount
        return item.quantity

    def low_stock(self) -> list[Item]:
        return sorted(
            (i for i in self._items.values() if i.quantity < LOW_STOCK),
            key=lambda i: (i.quantity, i.sku),
        )

    def total_value(self) -> Decimal:
        return sum((i.value for i in self._items.values()), Decimal("0.00"))


if __name__ == "__main__":
    ledger = Ledger()
    ledger.add(Item("A-100", "Bolt M6", Decimal("0.12"), 400))
    ledger.add(Item("B-220", "Hinge", Decimal("3.50"), 3))
    print(ledger.total_value(), [i.sku for i in ledger.low_stock()])
