/work/main/userspace-tools/table.o: /work/main/userspace-tools/table.c \
 /work/main/userspace-tools/results.h
/work/main/userspace-tools/results.h:
