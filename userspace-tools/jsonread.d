/work/main/userspace-tools/jsonread.o: \
 /work/main/userspace-tools/jsonread.c \
 /work/main/userspace-tools/results.h
/work/main/userspace-tools/results.h:
