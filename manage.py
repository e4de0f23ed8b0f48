#!/usr/bin/env python
from jianli.__main__ import main

if __name__ == "__main__":
    main()
