"""The live page's files (index.html, app.css, app.js), served by ``streams.adapters.page``."""
