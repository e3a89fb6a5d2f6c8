"""PDF documents: badges, lists, sheets, certificates and letters, drawn with reportlab."""
