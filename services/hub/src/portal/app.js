/* global document, sessionStorage */
import { ApiError, certificateAvailable, downloadCertificate, loadRecords } from './api.js';
import { acquireToken } from './token.js';
import { renderExams, renderMedicines, renderTimeline, renderVaccines } from './views.js';

/** The session lives in this tab only: closing it logs the citizen out. */
const SESSION_KEY = 'nexo.citizen';

const $ = (id) => document.getElementById(id);

const TABS = ['vaccines', 'exams', 'medicines', 'timeline'];

function selectTab(name) {
  for (const tab of TABS) {
    const selected = tab === name;
    $(`tab-${tab}`).setAttribute('aria-selected', String(selected));
    $(`panel-${tab}`).hidden = !selected;
  }
}

function showLogin(message) {
  sessionStorage.removeItem(SESSION_KEY);
  $('records-view').hidden = true;
  $('who').hidden = true;
  $('login-view').hidden = false;
  $('login-error').hidden = !message;
  $('login-error').textContent = message ?? '';
  $('identifier').focus();
}

async function showRecords(session) {
  $('login-view').hidden = true;
  $('records-view').hidden = false;
  $('who').hidden = false;
  $('who-label').textContent = session.label;
  $('status').textContent = 'Carregando…';
  $('certificate').hidden = true;
  try {
    const records = await loadRecords(session.token);
    $('panel-vaccines').replaceChildren(renderVaccines(records.immunizations));
    $('panel-exams').replaceChildren(renderExams(records.labResults));
    $('panel-medicines').replaceChildren(renderMedicines(records.dispensations));
    $('panel-timeline').replaceChildren(renderTimeline(records.timeline));
    $('count-vaccines').textContent = String(records.immunizations.length);
    $('count-exams').textContent = String(records.labResults.length);
    $('count-medicines').textContent = String(records.dispensations.length);
    $('status').textContent = `Atualizado às ${new Date().toLocaleTimeString('pt-BR')}.`;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401)
      return showLogin('CPF ou CNS inválido. Confira os números.');
    $('status').textContent = 'Não foi possível carregar seus registros agora. Tente de novo em instantes.';
    return;
  }
  $('certificate').hidden = !(await certificateAvailable(session.token));
}

async function login(event) {
  event.preventDefault();
  try {
    const session = await acquireToken($('identifier').value);
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    await showRecords(session);
  } catch (err) {
    showLogin(err instanceof Error ? err.message : 'Não foi possível entrar.');
  }
}

function start() {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', () => showLogin());
  for (const tab of TABS) $(`tab-${tab}`).addEventListener('click', () => selectTab(tab));
  $('certificate').addEventListener('click', () => {
    const session = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
    if (session)
      downloadCertificate(session.token).catch(
        () => ($('status').textContent = 'O certificado não pôde ser baixado.'),
      );
  });
  const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
  if (saved?.token) showRecords(saved);
  else showLogin();
}

start();
