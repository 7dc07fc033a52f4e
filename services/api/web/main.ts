import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { whenLoggedOut } from './api.client';
import { alertPage } from './pages/alert.page';
import { loginPage } from './pages/login.page';
import { modelPage } from './pages/model.page';
import { overviewPage } from './pages/overview.page';
import { windowPage } from './pages/window.page';
import { navigate, route, startRouter, toLogin } from './router';
import { apiKey, logOut } from './session';

route('/', overviewPage);
route('/login', loginPage, true);
route('/models/:modelId', modelPage);
route('/models/:modelId/window', windowPage);
route('/alerts/:alertId', alertPage);

whenLoggedOut(() => toLogin('refused'));

const logout = document.getElementById('logout') as HTMLButtonElement;
const showLogout = () => (logout.hidden = apiKey() === null);
logout.addEventListener('click', () => {
  logOut();
  showLogout();
  navigate('/login', true);
});
window.addEventListener('popstate', showLogout);
document.addEventListener('driftline:session', showLogout);
showLogout();

startRouter(document.getElementById('app') as HTMLElement);
