import type { JobFlavour } from './model/job-flavour.js';
import type { JobState } from './model/job-state.js';

/**
 * What each state means, as the reference pages word it, per flavour: BITS from bits.h's
 * BG_JOB_STATE page, DO from deliveryoptimization.h's (in English and in its French edition).
 * The details pane shows the description of the job's state beside its BITS name; the
 * renderer's catalogue holds these under its `states` key, as it does the shell's words.
 *
 * The French DO texts follow the French page. Where its machine translation lost a word or
 * changed the sense, the text is mended and the mend noted: TRANSFERRING lost its subject
 * ("Spécifie que effectue…"), TRANSIENT_ERROR turned into an order ("Effectuez une nouvelle
 * tentative…") and "échoue pour progresser" into nonsense, SUSPENDED read "suspendu
 * (suspendu)", and the method links read "méthode ibackgroundcopyjob :: Resume". The French
 * BITS texts are the French DO ones with BITS' own sentences translated in the same words.
 */
export type StateTexts = Readonly<Record<JobFlavour, Readonly<Record<JobState, string>>>>;

const EN_COMMON = {
  QUEUED:
    'Specifies that the job is in the queue, and waiting to run. If a user logs off while their job is transferring, the job transitions to the queued state.',
  ERROR:
    'Specifies that a nonrecoverable error occurred (the service is unable to transfer the file). If the error—such as an access-denied error—can be corrected, then call the IBackgroundCopyJob::Resume method after the error is fixed. However, if the error cannot be corrected, then call the IBackgroundCopyJob::Cancel method to cancel the job, or call the IBackgroundCopyJob::Complete method to accept the portion of a download job that transferred successfully.',
  TRANSFERRED:
    'Specifies that your job was successfully processed. You must call the IBackgroundCopyJob::Complete method to acknowledge completion of the job, and to make the files available to the client.',
  ACKNOWLEDGED:
    'Specifies that you called the IBackgroundCopyJob::Complete method to acknowledge that your job completed successfully.',
  CANCELLED:
    'Specifies that you called the IBackgroundCopyJob::Cancel method to cancel the job (that is, to remove the job from the transfer queue).',
} as const;

/** English, from the BITS page (bits.h) and the Delivery Optimization page. */
export const STATE_TEXT_EN: StateTexts = {
  BITS: {
    ...EN_COMMON,
    CONNECTING:
      'Specifies that BITS is trying to connect to the server. If the connection succeeds, the state of the job becomes BG_JOB_STATE_TRANSFERRING; otherwise, the state becomes BG_JOB_STATE_TRANSIENT_ERROR.',
    TRANSFERRING: 'Specifies that BITS is transferring data for the job.',
    SUSPENDED:
      'Specifies that the job is suspended (paused). To suspend a job, call the IBackgroundCopyJob::Suspend method. BITS automatically suspends a job when it is created. The job remains suspended until you call the IBackgroundCopyJob::Resume method, IBackgroundCopyJob::Complete method, or IBackgroundCopyJob::Cancel method.',
    TRANSIENT_ERROR:
      'Specifies that a recoverable error occurred. BITS will retry jobs in the transient error state based on the retry interval you specify (see IBackgroundCopyJob::SetMinimumRetryDelay method). The state of the job changes to BG_JOB_STATE_ERROR if the job fails to make progress (see IBackgroundCopyJob::SetNoProgressTimeout method). BITS does not retry the job if a network disconnect or a disk lock error occurred (for example, chkdsk is running), or the MaxInternetBandwidth Group Policy is zero.',
  },
  DO: {
    ...EN_COMMON,
    CONNECTING: 'Not supported.',
    TRANSFERRING: 'Specifies that Delivery Optimization is transferring data for the job.',
    SUSPENDED:
      'Specifies that the job is suspended (paused). To suspend a job, call the IBackgroundCopyJob::Suspend method. The job remains suspended until you call the IBackgroundCopyJob::Resume, IBackgroundCopyJob::Complete, or IBackgroundCopyJob::Cancel method.',
    TRANSIENT_ERROR:
      'Specifies that a recoverable error occurred. Delivery Optimization will retry jobs in the transient error state based on the internal retry configuration. The state of the job changes to BG_JOB_STATE_ERROR if the job fails to make progress (see IBackgroundCopyJob::SetNoProgressTimeout).',
  },
};

const FR_COMMON = {
  QUEUED:
    'Spécifie que le travail se trouve dans la file d’attente et qu’il est en attente d’exécution. Si un utilisateur se déconnecte pendant le transfert de son travail, le travail passe à l’état en file d’attente.',
  ERROR:
    'Spécifie qu’une erreur irrécupérable s’est produite (le service n’est pas en mesure de transférer le fichier). Si l’erreur, telle qu’une erreur d’accès refusé, peut être corrigée, appelez la méthode IBackgroundCopyJob::Resume une fois l’erreur corrigée. Toutefois, si l’erreur ne peut pas être corrigée, appelez la méthode IBackgroundCopyJob::Cancel pour annuler le travail, ou appelez la méthode IBackgroundCopyJob::Complete pour accepter la partie d’une tâche de téléchargement qui a été transférée avec succès.',
  TRANSFERRED:
    'Spécifie que votre travail a été traité avec succès. Vous devez appeler la méthode IBackgroundCopyJob::Complete pour accuser réception de la tâche et rendre les fichiers accessibles au client.',
  ACKNOWLEDGED:
    'Spécifie que vous avez appelé la méthode IBackgroundCopyJob::Complete pour confirmer que votre travail s’est terminé avec succès.',
  CANCELLED:
    'Spécifie que vous avez appelé la méthode IBackgroundCopyJob::Cancel pour annuler le travail (supprimer la tâche de la file d’attente de transfert).',
} as const;

/** French: the Delivery Optimization page's French edition, mended where noted above. */
export const STATE_TEXT_FR: StateTexts = {
  BITS: {
    ...FR_COMMON,
    CONNECTING:
      'Spécifie que BITS tente de se connecter au serveur. Si la connexion réussit, l’état du travail devient BG_JOB_STATE_TRANSFERRING ; sinon, il devient BG_JOB_STATE_TRANSIENT_ERROR.',
    TRANSFERRING: 'Spécifie que BITS effectue le transfert des données pour le travail.',
    SUSPENDED:
      'Spécifie que le travail est suspendu (en pause). Pour interrompre un travail, appelez la méthode IBackgroundCopyJob::Suspend. BITS suspend automatiquement un travail lors de sa création. Le travail reste suspendu jusqu’à ce que vous appeliez la méthode IBackgroundCopyJob::Resume, IBackgroundCopyJob::Complete ou IBackgroundCopyJob::Cancel.',
    TRANSIENT_ERROR:
      'Spécifie qu’une erreur récupérable s’est produite. BITS effectue une nouvelle tentative des travaux dans l’état d’erreur temporaire en fonction de l’intervalle de nouvelle tentative que vous spécifiez (voir la méthode IBackgroundCopyJob::SetMinimumRetryDelay). L’état du travail devient BG_JOB_STATE_ERROR si le travail ne parvient pas à progresser (voir la méthode IBackgroundCopyJob::SetNoProgressTimeout). BITS n’effectue pas de nouvelle tentative si une déconnexion du réseau ou une erreur de verrouillage du disque s’est produite (par exemple, chkdsk est en cours d’exécution), ou si la stratégie de groupe MaxInternetBandwidth vaut zéro.',
  },
  DO: {
    ...FR_COMMON,
    CONNECTING: 'Non pris en charge.',
    TRANSFERRING:
      'Spécifie que Delivery Optimization effectue le transfert des données pour le travail.',
    SUSPENDED:
      'Spécifie que le travail est suspendu (en pause). Pour interrompre un travail, appelez la méthode IBackgroundCopyJob::Suspend. Le travail reste suspendu jusqu’à ce que vous appeliez la méthode IBackgroundCopyJob::Resume, IBackgroundCopyJob::Complete ou IBackgroundCopyJob::Cancel.',
    TRANSIENT_ERROR:
      'Spécifie qu’une erreur récupérable s’est produite. Delivery Optimization effectue une nouvelle tentative des travaux dans l’état d’erreur temporaire en fonction de la configuration de nouvelle tentative interne. L’état du travail devient BG_JOB_STATE_ERROR si le travail ne parvient pas à progresser (voir la méthode IBackgroundCopyJob::SetNoProgressTimeout).',
  },
};

/** The state descriptions for a language code (English for any other). */
export function stateText(language: string): StateTexts {
  return language === 'fr' ? STATE_TEXT_FR : STATE_TEXT_EN;
}
