# The programs: one file each (a program that outgrows one file gets src/wm-x/).
