/work/main/userspace-tools/main.o: /work/main/userspace-tools/main.c \
 /work/main/userspace-tools/cli.h
/work/main/userspace-tools/cli.h:
