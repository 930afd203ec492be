"""Server-rendered pages, one module per area; they call the same services as
the JSON API, and their JavaScript calls the API itself."""
