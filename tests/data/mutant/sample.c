/* test_mutant's input: a < b && c in a comment is not a mutation point */
#define MAX(a, b) ((a) > (b) ? \
                   (a) : (b))
struct sock;
void foo(struct sock *sk);
static const char *s = "x < y && z";

static int other(int a)
{
	return a < 1;
}

int target(struct sock *sk, int n)
{
	struct sock *p = sk;
	int x = n * 2;

	if (n >= 3 && p)
		foo(sk);
	switch (n) {
	case 4:
		x = 5;
		break;
	}
	return x + (s != 0);
}

/* A compile-time assertion generates no code: no point in it. */
#define BUILD_BUG_ON(c) ((void)sizeof(char[1 - 2 * !!(c)]))
static int checked(int a)
{
	BUILD_BUG_ON(sizeof(int) < 2 && 1 > 0);
	return a;
}
