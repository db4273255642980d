"""The project's own tables (customers, hand-offs), behind one class: SupportDB."""
