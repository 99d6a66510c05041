#!/bin/bash
# placeholder
exit 1
