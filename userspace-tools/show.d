/work/main/userspace-tools/show.o: /work/main/userspace-tools/show.c \
 /work/main/userspace-tools/cli.h
/work/main/userspace-tools/cli.h:
