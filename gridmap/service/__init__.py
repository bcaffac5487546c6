"""The intake service for handheld devices (HTTP JSON API). Above store/ and domain/, beside io/."""
