/* test_mutant's input for `bench reach`: the driver calls reach_seen(1)
 * only, so line 7 and reach_never() never run. */
int reach_seen(int n);
int reach_never(int n);

int reach_seen(int n)
{
	if (n > 3)
		return n * 2;
	return n + 1;
}

int reach_never(int n)
{
	return n - 1;
}
