/* For SyscallTableLibseccompTest: reads "nr<TAB>name" lines on stdin and prints each line whose
 * name libseccomp resolves to another number for the architecture in argv[1] ("nr<TAB>name<TAB>
 * libseccomp's number", -1 when it does not know the name). libseccomp is what runc resolves a
 * profile's names with; declared here so that only the library, not its -dev package, is needed. */
#include <stdint.h>
#include <stdio.h>

extern uint32_t seccomp_arch_resolve_name(const char *arch_name);
extern int seccomp_syscall_resolve_name_arch(uint32_t arch_token, const char *name);

int main(int argc, char **argv)
{
	char line[256], name[128];
	uint32_t arch;
	int nr;

	if (argc != 2 || !(arch = seccomp_arch_resolve_name(argv[1]))) {
		fprintf(stderr, "usage: seccomp_names x86_64|aarch64|x86 < table.tsv\n");
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		if (line[0] == '#' || sscanf(line, "%d\t%127s", &nr, name) != 2)
			continue;
		int resolved = seccomp_syscall_resolve_name_arch(arch, name);
		if (resolved != nr)
			printf("%d\t%s\t%d\n", nr, name, resolved);
	}
	return 0;
}
