import { useAuth } from '../../auth/AuthContext';
import { HomePage } from '../HomePage';
import { DashboardPage } from './DashboardPage';

/** `/`: the dashboard for someone signed in, the welcome page for everyone else. */
export function HomeRoute() {
  const { status } = useAuth();
  return status === 'signed-in' ? <DashboardPage /> : <HomePage />;
}
