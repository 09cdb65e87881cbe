// The HTTP front door; see Docs.docc.
