"""Expenses and payments: rates, claims, receipts, batches (see the expenses issue)."""
