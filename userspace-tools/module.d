/work/main/userspace-tools/module.o: /work/main/userspace-tools/module.c \
 /work/main/userspace-tools/cli.h
/work/main/userspace-tools/cli.h:
