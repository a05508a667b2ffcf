from oscar.apps.partner.abstract_models import AbstractStockRecord


class StockRecord(AbstractStockRecord):
    def allocate(self, quantity):
        """Oscar's allocation, made safe against overselling (see partner.services)."""
        if not self.can_track_allocations:
            return
        from partner.services import stockrecord_allocate

        self.pre_save_signal()
        locked = stockrecord_allocate(stockrecord_id=self.pk, quantity=quantity)
        self.num_allocated = locked.num_allocated
        self.post_save_signal()

    allocate.alters_data = True


from oscar.apps.partner.models import *  # noqa: E402,F403
