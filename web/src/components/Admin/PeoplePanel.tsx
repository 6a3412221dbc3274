import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext';
import { retryTransient } from '../../api/queries';
import { ErrorState } from '../ErrorState';
import { PageLoader } from '../PageLoader';
import { adminKeys, fetchPeople } from './adminApi';
import { PeopleList } from './PeopleList';

export function PeoplePanel() {
  const api = useApi();
  const people = useQuery({
    queryKey: adminKeys.people,
    queryFn: () => fetchPeople(api),
    retry: retryTransient,
  });
  if (people.isPending) return <PageLoader label="Reading the people…" />;
  if (people.isError) return <ErrorState error={people.error} heading="The people could not be read" />;
  return <PeopleList people={people.data} />;
}
