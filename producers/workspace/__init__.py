"""The producer's workspace (生产主体工作台): one name for its URLs, views, forms
and templates. It composes catalogue's listing services, the producer's own
services (certificates, benefit linkage, shipping) and Oscar's orders."""
