import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JOB_FLAVOURS } from '../../../app/model/job-flavour.js';
import { JOB_STATES } from '../../../app/model/job-state.js';
import { STATE_TEXT_EN, STATE_TEXT_FR, stateText } from '../../../app/state-text.js';

describe('state descriptions', () => {
  it('describe every state of both flavours in English and French', () => {
    for (const texts of [STATE_TEXT_EN, STATE_TEXT_FR]) {
      for (const flavour of JOB_FLAVOURS) {
        for (const state of JOB_STATES) {
          assert.ok(texts[flavour][state].length > 10, `${flavour} ${state}`);
        }
      }
    }
    assert.equal(stateText('fr'), STATE_TEXT_FR);
    assert.equal(stateText('de'), STATE_TEXT_EN);
  });

  it('say what each flavour says where the pages differ', () => {
    assert.equal(STATE_TEXT_EN.DO.CONNECTING, 'Not supported.');
    assert.match(STATE_TEXT_EN.BITS.CONNECTING, /BITS is trying to connect to the server/);
    assert.match(STATE_TEXT_EN.DO.TRANSIENT_ERROR, /internal retry configuration/);
    assert.match(STATE_TEXT_EN.BITS.TRANSIENT_ERROR, /SetMinimumRetryDelay/);
    assert.match(STATE_TEXT_EN.BITS.SUSPENDED, /automatically suspends a job when it is created/);
    assert.doesNotMatch(STATE_TEXT_EN.DO.SUSPENDED, /automatically/);
  });

  it('follow the French Delivery Optimization page (seed 004), its slips mended', () => {
    const fr = STATE_TEXT_FR.DO;
    assert.equal(fr.CONNECTING, 'Non pris en charge.');
    assert.match(
      fr.TRANSIENT_ERROR,
      /en fonction de la configuration de nouvelle tentative interne/,
    );
    assert.match(fr.QUEUED, /^Spécifie que le travail se trouve dans la file d’attente/);
    assert.match(fr.ERROR, /telle qu’une erreur d’accès refusé/);
    assert.match(fr.CANCELLED, /supprimer la tâche de la file d’attente de transfert/);
    // The page's "Spécifie que effectue…" lost its subject; the text names it.
    assert.match(fr.TRANSFERRING, /^Spécifie que Delivery Optimization effectue le transfert/);
    // Not an order to the reader ("Effectuez…"), and the method names read as methods.
    assert.doesNotMatch(fr.TRANSIENT_ERROR, /Effectuez/);
    for (const text of Object.values(fr)) assert.doesNotMatch(text, /ibackgroundcopyjob ::/);
  });
});
