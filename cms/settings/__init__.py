"""Settings package: `base` is shared; `dev`, `test` and `production` differ by deployment."""
